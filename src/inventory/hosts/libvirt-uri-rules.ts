import { BlockList, isIP } from 'node:net';
import { libvirtUriPolicy, type LibvirtUriPolicy } from '../../config/libvirt-uri-policy';

/** Remote transports livemig opens; all need a host. Bare `qemu://host/` is libvirt's TLS default. */
const REMOTE_SCHEMES = new Set(['qemu+tcp:', 'qemu+tls:', 'qemu+ssh:', 'qemu:']);
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])$/;
/**
 * Query parameters that name no file, socket or program (socket=, keyfile=, known_hosts=, pkipath=,
 * command=, netcat= ... do: each let a URI's author make the controller read or run things).
 */
const SAFE_QUERY: Readonly<Record<string, RegExp>> = {
  no_tty: /^[01]$/,
  sshauth: /^(?:agent|privkey|password|keyboard-interactive)(?:,(?:agent|privkey|password|keyboard-interactive))*$/,
  mode: /^(?:auto|legacy|direct)$/,
  proxy: /^(?:auto|netcat|native)$/,
};
const LAB_SOCKET = /^\/[A-Za-z0-9._/-]+\/libvirt-sock$/;

/** Pure but for the process-wide policy: throws a RangeError unless livemig may open `uri`. */
export function assertLibvirtUri(uri: string, policy: LibvirtUriPolicy = libvirtUriPolicy()): string {
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    throw new RangeError(`not a libvirt URI: ${JSON.stringify(uri)}`);
  }
  if (policy.allowTestUris && isTestUri(parsed)) return uri;
  if (parsed.protocol === 'qemu:' && parsed.hostname === '') {
    if (parsed.pathname !== '/system' || parsed.search !== '' || parsed.username !== '') {
      throw new RangeError('a local libvirt URI must be exactly qemu:///system');
    }
    return uri;
  }
  if (!REMOTE_SCHEMES.has(parsed.protocol)) {
    throw new RangeError(`unsupported libvirt URI scheme ${parsed.protocol} (qemu:///system, qemu+tcp, qemu+tls or qemu+ssh)`);
  }
  if (!HOST.test(parsed.hostname)) throw new RangeError(`invalid host in libvirt URI: ${JSON.stringify(parsed.hostname)}`);
  if (parsed.password !== '') throw new RangeError('libvirt URIs must not carry a password');
  if (parsed.pathname !== '/system') throw new RangeError(`invalid path in libvirt URI: ${JSON.stringify(parsed.pathname)}`);
  for (const [key, value] of parsed.searchParams) {
    const rule = SAFE_QUERY[key];
    if (rule === undefined) throw new RangeError(`unsupported query parameter in libvirt URI: ${JSON.stringify(key)}`);
    if (!rule.test(value)) throw new RangeError(`invalid value of ${key} in libvirt URI`);
  }
  assertInNetworks(parsed.hostname.replace(/^\[|\]$/g, ''), policy.hypervisorNetworks);
  return uri;
}

function isTestUri(parsed: URL): boolean {
  if (parsed.href === 'test:///default') return true;
  const keys = [...parsed.searchParams.keys()];
  return (
    parsed.protocol === 'qemu+unix:' &&
    parsed.hostname === '' &&
    parsed.pathname === '/system' &&
    keys.length === 1 &&
    LAB_SOCKET.test(parsed.searchParams.get('socket') ?? '')
  );
}

function assertInNetworks(host: string, networks: readonly string[]): void {
  if (networks.length === 0) return;
  const family = isIP(host);
  // A name could resolve anywhere: with an allow-list, hypervisors are named by address.
  if (family === 0) throw new RangeError('with LIVEMIG_HYPERVISOR_NETWORKS set, a libvirt URI must name its host by IP address');
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  for (const cidr of networks) {
    const [address = '', prefix = ''] = cidr.split('/');
    const cidrFamily = isIP(address);
    if (cidrFamily === 0 || !/^\d{1,3}$/.test(prefix)) continue;
    list.addSubnet(address, Number(prefix), cidrFamily === 4 ? 'ipv4' : 'ipv6');
  }
  if (!list.check(host, type)) throw new RangeError(`hypervisor address ${host} is outside LIVEMIG_HYPERVISOR_NETWORKS`);
}
