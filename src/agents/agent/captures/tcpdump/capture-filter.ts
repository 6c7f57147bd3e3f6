import { isIP } from 'node:net';
import { checkPortRange, isPort, type PortRange } from '../../../../common/names';

// BPF expressions are built here from typed values only; a user never supplies
// filter text, so nothing reaches tcpdump's expression parser unchecked.

export interface MigrationTrafficFilter {
  /** QEMU's migration stream ports (libvirt's migration_port_min..max, 49152-49215 by default). */
  migrationPorts: PortRange;
  /** libvirt RPC ports, e.g. 16509 for libvirtd over TCP. */
  rpcPorts: number[];
}

export interface ProbeTrafficFilter {
  /** An IP literal: a host name would make tcpdump resolve names while compiling the filter. */
  target: string;
  tcpEchoPort?: number;
}

export class InvalidFilterError extends Error {
  override readonly name = 'InvalidFilterError';
}

function portClause(range: PortRange): string {
  return range.from === range.to ? `port ${range.from}` : `portrange ${range.from}-${range.to}`;
}

export function buildMigrationBpf(filter: MigrationTrafficFilter): string {
  const range = checkPortRange(filter.migrationPorts);
  if (!range.ok) throw new InvalidFilterError(range.reason);
  const bad = filter.rpcPorts.find((p) => !isPort(p));
  if (bad !== undefined) throw new InvalidFilterError(`rpc port ${String(bad)} is not a port`);
  const rpc = [...new Set(filter.rpcPorts)].sort((a, b) => a - b).map((p) => `port ${p}`);
  return `tcp and (${[portClause(filter.migrationPorts), ...rpc].join(' or ')})`;
}

export function buildProbeBpf(filter: ProbeTrafficFilter): string {
  const family = isIP(filter.target);
  if (family === 0) throw new InvalidFilterError(`probe target "${filter.target}" is not an IP address`);
  const icmp = family === 6 ? 'icmp6' : 'icmp';
  const clauses = [`(${icmp} and host ${filter.target})`];
  if (filter.tcpEchoPort !== undefined) {
    if (!isPort(filter.tcpEchoPort)) throw new InvalidFilterError(`tcp echo port ${String(filter.tcpEchoPort)} is not a port`);
    clauses.push(`(tcp port ${filter.tcpEchoPort} and host ${filter.target})`);
  }
  return clauses.join(' or ');
}
