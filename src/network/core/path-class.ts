// Path classes of the studies (traffic between two guests by node and subnet, and north-south) and the
// hop-by-hop path a packet takes through the model's hosts, namespaces and devices. Plain data only.

export const PATH_CLASSES = [
  'intra-node-intra-subnet',
  'intra-node-inter-subnet',
  'inter-node-intra-subnet',
  'inter-node-inter-subnet',
  'north-south-snat',
  'north-south-floating-ip',
] as const;
export type PathClass = (typeof PATH_CLASSES)[number];

export const ROUTER_MODES = ['legacy', 'dvr'] as const;
export type RouterMode = (typeof ROUTER_MODES)[number];

export const HOP_ROLES = [
  'guest-tap',
  'bridge',
  'vxlan',
  'router-interface',
  'fip-link',
  'fip-gateway',
  'router-gateway',
  'snat-interface',
] as const;
export type HopRole = (typeof HOP_ROLES)[number];

export interface TunnelLeg {
  vni: number;
  fromVtepIp: string;
  toVtepIp: string;
  toHost: string;
}

export interface PathHop {
  role: HopRole;
  /** Host name. */
  host: string;
  /** null: the host's root namespace (agents may prefix namespace names; this is the unprefixed one). */
  namespace: string | null;
  device: string;
  /** Set on a VXLAN device the packet leaves the host through. */
  tunnel?: TunnelLeg;
}

export interface PathNat {
  kind: 'snat' | 'floating-ip';
  /** The address the far side sees. */
  address: string;
}

export interface ReachablePath {
  reachable: true;
  class: PathClass;
  /** The router on the path; null when none routes it (intra-subnet). */
  mode: RouterMode | null;
  routerId: string | null;
  /** Hosts where the packet is routed. */
  routedOn: string[];
  tunnelCrossings: number;
  nat: PathNat | null;
  /** One direction, from the first endpoint; with DVR the reply is routed on the other host. */
  hops: PathHop[];
}

export interface UnreachablePath {
  reachable: false;
  reason: string;
}

export type PathResult = ReachablePath | UnreachablePath;

/** The far end of a path: another port, or the external network (north-south). */
export type PathPeer = { kind: 'port'; portId: string } | { kind: 'external' };
