// The whole name and address plan of the lab, in one place. Everything the
// lab creates carries the `lm-` prefix so `lab down` can find leftovers.
// Only documentation ranges are used (RFC 5737), so nothing can leak onto a real net.
// The root namespace reaches the management network alone (the controller leg):
// machines running the lab use 192.0.2.0/24 themselves, so nothing the root
// namespace must reach lies there; 192.0.2.128/25 appears only inside namespaces.

import { bridgeName, vxlanDeviceName } from '../src/network/core/device-names';

export const LAB_PREFIX = 'lm-';
export const MAX_LAB_HOSTS = 4;
export const DEFAULT_LAB_HOSTS = 2;

/** Management and migration share one network: the libvirt RPC and the QEMU stream both use it. */
export const MGMT_CIDR = '198.51.100.0/25';
export const MGMT_PREFIX_LEN = 25;
/** The controller leg: the root namespace's only address in the lab, on the management bridge. */
export const CONTROLLER_IP = '198.51.100.2';
/** Root-namespace end of the controller leg (its fabric end is `mg-ctl`). */
export const CONTROLLER_IFACE = 'lm-ctl';
/** Where every lab agent (hosts and prober) listens, on its management IP. */
export const AGENT_PORT = 7070;
/** "External" network for floating IPs (DVR FIP namespaces attach here later). */
export const EXTERNAL_CIDR = '192.0.2.128/25';
export const EXTERNAL_PREFIX_LEN = 25;
export const EXTERNAL_GATEWAY_IP = '192.0.2.129';
/** Floating IPs the controller may hand out on the external network. */
export const FLOATING_IP_RANGE = { first: '192.0.2.160', last: '192.0.2.190' } as const;
/** Underlay for the VXLAN tunnels (one VTEP per host, one for the prober). */
export const TUNNEL_CIDR = '198.51.100.128/25';
export const TUNNEL_PREFIX_LEN = 25;
/** The tenant network the guests live on, carried by VXLAN; its gateway is the DVR router. */
export const TENANT_CIDR = '203.0.113.0/25';
export const TENANT_PREFIX_LEN = 25;
export const TENANT_GATEWAY_IP = '203.0.113.1';
export const TENANT_VNI = 1000;
/** A second tenant network on the same distributed router, for routed (east-west) traffic. */
export const TENANT2 = { cidr: '203.0.113.128/25', prefixLength: 25, gatewayIp: '203.0.113.129', vni: 1001 } as const;
export const VXLAN_PORT = 4789;
export const FIRST_GUEST_HOST_OCTET = 10;

export const LIBVIRT_TCP_PORT = 16509;
/** QEMU picks its incoming migration port from here upwards. */
export const MIGRATION_PORT_MIN = 49152;

export const FABRIC_NETNS = 'lm-fabric';
export const PROBER_NETNS = 'lm-prober';
export const EXTERNAL_NETNS = 'lm-external';

/** Interface names inside a host namespace: the same on every host, like on real computes. */
export const HOST_IFACES = {
  migration: 'mig0',
  tunnel: 'tun0',
  external: 'ext0',
  /** Neutron's names, so the host agents adopt what `lab up` made for the first network. */
  tenantBridge: bridgeName(TENANT_VNI),
  vxlan: vxlanDeviceName(TENANT_VNI),
} as const;

/** Bridges in the fabric namespace that stand in for the physical switches. */
export const FABRIC_BRIDGES = { mgmt: 'br-mgmt', tunnel: 'br-tun', external: 'br-ext' } as const;

const PROBER_MGMT_IP = '198.51.100.3';

export const PROBER = {
  netns: PROBER_NETNS,
  /** The controller reaches the prober's agent here. */
  mgmtIp: PROBER_MGMT_IP,
  mgmtIface: 'mgmt0',
  agentUrl: `http://${PROBER_MGMT_IP}:${AGENT_PORT}`,
  tenantIp: '203.0.113.2',
  /** Probes leave through this interface: the tenant address sits on the VXLAN device itself. */
  tenantInterface: HOST_IFACES.vxlan,
  vtepIp: '198.51.100.130',
  tunnelIface: 'tun0',
  vxlanIface: HOST_IFACES.vxlan,
} as const;

const EXTERNAL_MGMT_IP = '198.51.100.4';

/** The outside world: the external network's gateway, and an agent that probes floating IPs (north-south). */
export const EXTERNAL = {
  netns: EXTERNAL_NETNS,
  ip: EXTERNAL_GATEWAY_IP,
  iface: 'ext0',
  mgmtIp: EXTERNAL_MGMT_IP,
  mgmtIface: 'mgmt0',
  agentUrl: `http://${EXTERNAL_MGMT_IP}:${AGENT_PORT}`,
} as const;

export interface LabHost {
  /** Compute host name as the controller knows it. */
  name: string;
  /** Single letter used in fabric-side interface names. */
  letter: string;
  netns: string;
  mgmtIp: string;
  migrationInterface: string;
  libvirtUri: string;
  /** The host agent, listening on the management IP. */
  agentUrl: string;
  vtepIp: string;
  /** Distinct per host, or libvirt refuses with "migrate guest to the same host". */
  hostUuid: string;
}

/**
 * Host-side capacity reported to the controller for scheduling: four small
 * guests fit on one host. Guests are TCG, so a vCPU is a thread, not a core.
 */
export const LAB_HOST_CAPACITY = { vcpus: 8, memoryMiB: 4096 } as const;

export interface LabFlavor {
  name: string;
  vcpus: number;
  ramMiB: number;
  diskGiB: number;
}

/**
 * 72 MiB is the smallest memory the lab guest (Debian cloud kernel + busybox
 * initramfs) boots in; with 64 MiB it never comes up (measured under libvirt).
 */
export const LAB_FLAVORS: readonly LabFlavor[] = [
  // 72 MiB boots, but under a probe stream and a dirtier the guest panics out of memory after switchover.
  { name: 'lab.nano', vcpus: 1, ramMiB: 96, diskGiB: 0 },
  { name: 'lab.micro', vcpus: 1, ramMiB: 128, diskGiB: 0 },
  { name: 'lab.tiny', vcpus: 1, ramMiB: 256, diskGiB: 0 },
  { name: 'lab.small', vcpus: 1, ramMiB: 512, diskGiB: 0 },
];

export function labHost(index: number): LabHost {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_LAB_HOSTS) {
    throw new RangeError(`lab host index ${index} is outside 0..${MAX_LAB_HOSTS - 1}`);
  }
  const letter = String.fromCharCode('a'.charCodeAt(0) + index);
  const mgmtIp = `198.51.100.${11 + index}`;
  return {
    name: `host-${letter}`,
    letter,
    netns: `${LAB_PREFIX}host-${letter}`,
    mgmtIp,
    migrationInterface: HOST_IFACES.migration,
    libvirtUri: `qemu+tcp://${mgmtIp}/system`,
    agentUrl: `http://${mgmtIp}:${AGENT_PORT}`,
    vtepIp: `198.51.100.${141 + index}`,
    hostUuid: `6c6d0000-0000-4000-8000-0000000000${(0xa1 + index).toString(16)}`,
  };
}

export function labHosts(count: number): LabHost[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_LAB_HOSTS) {
    throw new RangeError(`the lab has 1 to ${MAX_LAB_HOSTS} hosts, not ${count}`);
  }
  return Array.from({ length: count }, (_, i) => labHost(i));
}

/** Every host the lab could have: `down` looks for all of them, whatever `up` made. */
export const ALL_LAB_HOSTS: readonly LabHost[] = labHosts(MAX_LAB_HOSTS);

/** Tenant IP for the n-th guest (0-based). */
export function guestIp(index: number): string {
  const octet = FIRST_GUEST_HOST_OCTET + index;
  if (!Number.isInteger(index) || index < 0 || octet > 126) throw new RangeError(`no tenant address for guest ${index}`);
  return `203.0.113.${octet}`;
}

/** Locally administered MAC (52:54:00 is QEMU's; 02: marks it ours) derived from the tenant IP. */
export function guestMac(ip: string): string {
  const octets = ip.split('.').map((o) => Number(o));
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) {
    throw new RangeError(`"${ip}" is not an IPv4 address`);
  }
  return ['02', '6c', ...octets.map((o) => o.toString(16).padStart(2, '0'))].join(':');
}

/** The fabric-side peer of a host interface, e.g. `mg-a` for host-a's mig0. */
/** The fabric-side peer of the controller leg, on the management bridge. */
export const CONTROLLER_FABRIC_PEER = 'mg-ctl';

export function fabricPeer(kind: 'mgmt' | 'tunnel' | 'external', suffix: string): string {
  const tag = kind === 'mgmt' ? 'mg' : kind === 'tunnel' ? 'tn' : 'ex';
  return `${tag}-${suffix}`;
}

export function isLabNetns(name: string): boolean {
  return name.startsWith(LAB_PREFIX);
}

export interface LabTopology {
  hosts: LabHost[];
  prober: typeof PROBER;
  external: typeof EXTERNAL;
  fabricNetns: string;
  /** The root namespace's leg onto the management network. */
  controller: { ip: string; iface: string };
  tenant: { cidr: string; gatewayIp: string; vni: number };
  instancesPath: string;
}
