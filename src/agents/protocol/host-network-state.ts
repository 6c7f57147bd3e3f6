// What one host must look like for the tenant networks, as the controller
// wants it. The controller compiles it from the network model (pure); the host
// agent reconciles the host towards it and reports drift. Plain data only: both
// sides import it.

/** Head-end replication and l2population for one network's VXLAN segment on this host. */
export interface NetworkPlug {
  networkId: string;
  vni: number;
  mtu: number;
  /** Linux bridge the guests' taps join (`brq<vni>`). */
  bridge: string;
  /** VXLAN device enslaved to the bridge (`vxlan-<vni>`), created `nolearning`. */
  vxlanDevice: string;
  /** Remote VTEPs that receive broadcast and unknown unicast (all-zero FDB entries). */
  floodVteps: string[];
  /** l2population: each remote port's MAC at the VTEP of the host where it is bound. */
  fdb: FdbEntry[];
}

export interface FdbEntry {
  mac: string;
  vtepIp: string;
}

/** One router interface on this host: a veth `qr-…` in the qrouter namespace, its peer `tap…` on the bridge. */
export interface RouterInterfacePlug {
  subnetId: string;
  /** Inside the qrouter namespace. */
  device: string;
  /** Host-side peer, enslaved to `bridge`. */
  peerDevice: string;
  bridge: string;
  /** The network's VXLAN device (DVR keeps the gateway MAC off it). */
  vxlanDevice: string;
  gatewayIp: string;
  prefixLength: number;
  gatewayMac: string;
}

export interface StaticArp {
  ip: string;
  mac: string;
  /** The qr device of the port's subnet. */
  device: string;
}

export interface FloatingIpPlug {
  floatingIp: string;
  fixedIp: string;
}

/** Link between a qrouter and the host's fip namespace: `rfp-…` in the router, `fpr-…` in the fip namespace. */
export interface FipRouterLink {
  routerId: string;
  routerNamespace: string;
  rfpDevice: string;
  fprDevice: string;
  /** /31 pair: rfp takes `rfpIp`, fpr takes `fprIp`. */
  rfpIp: string;
  fprIp: string;
  /** Policy-routing table in the qrouter for traffic from ports with a floating IP. */
  table: number;
}

export interface RouterPlacement {
  routerId: string;
  /** `qrouter-<id>`, the same name on every host. */
  namespace: string;
  distributed: boolean;
  interfaces: RouterInterfacePlug[];
  /** DVR: every port on the router's subnets, so routed packets never ARP across the tunnel. */
  arp: StaticArp[];
  /** DVR: the floating IPs of ports bound on this host; legacy: all of them. */
  floatingIps: FloatingIpPlug[];
  /**
   * DVR only: this host's unique MAC, written over the gateway MAC on frames
   * leaving for the tunnel (Neutron's DVR host MAC), so the shared gateway MAC
   * never appears on another host's bridge. Null for legacy routers.
   */
  dvrHostMac: string | null;
  /** Legacy routers with floating IPs: a `qg-…` leg on the external network inside the qrouter. */
  externalGateway: ExternalGatewayPlug | null;
}

export interface ExternalGatewayPlug {
  device: string;
  /** The host's interface onto the external network (agent configuration). */
  address: string;
  prefixLength: number;
  gatewayIp: string;
}

/** DVR north-south: `fip-<extnet>` with an `fg-…` leg on the external network and proxy ARP for the FIPs. */
export interface FipNamespacePlug {
  namespace: string;
  externalNetworkId: string;
  /** macvlan over the host's external interface, inside the fip namespace. */
  gatewayDevice: string;
  /** This host's floating-IP agent gateway address on the external subnet. */
  gatewayAddress: string;
  prefixLength: number;
  /** Next hop on the external network. */
  externalGatewayIp: string;
  routers: FipRouterLink[];
}

export interface HostNetworkState {
  host: string;
  /** Grows with every change the controller makes; the agent reports the one it applied. */
  revision: number;
  /**
   * The identity of the controller database this state comes from. Revisions only compare within one
   * generation: a controller on an empty or another database has another one and must take over deliberately.
   */
  generation?: string;
  /** Only in a deliberate take-over: the generation (null: none) this state replaces on the agent. */
  takeOver?: { generation: string | null };
  localVtepIp: string;
  networks: NetworkPlug[];
  routers: RouterPlacement[];
  /** One per external network with floating IPs on this host (DVR); empty otherwise. */
  fipNamespaces: FipNamespacePlug[];
}

/** The `details` of the agent's 409 when it refuses a desired state: what it holds. */
export interface HeldNetworkState {
  reason: 'older-revision' | 'other-generation';
  heldGeneration: string | null;
  heldRevision: number;
}

/** One difference the agent found between the host and the desired state, and what it did. */
export interface NetworkDrift {
  /** e.g. `fdb`, `netns`, `link`, `address`, `arp`, `route`, `rule`, `nft`, `sysctl`. */
  kind: string;
  /** What it concerns, e.g. `fa:16:3e:00:00:01 dev vxlan-1000 dst 198.51.100.131`. */
  subject: string;
  found: 'missing' | 'extra' | 'different';
  detail?: string;
  repaired: boolean;
  error?: string;
}

export interface NetworkApplyReport {
  host: string;
  revision: number;
  /** Agent clock, ISO-8601. */
  appliedAt: string;
  durationMs: number;
  /** Empty when the host already matched. */
  drift: NetworkDrift[];
  /** Commands run, in order, as argument arrays joined by spaces (for the record, never re-run). */
  commands: string[];
}

/** A switchover delta the agent holds ready (`PUT /v1/network/switchovers/:id`), planned against the host as it was then. */
export interface ArmedSwitchoverReport {
  id: string;
  host: string;
  /** Agent clock, ISO-8601. */
  armedAt: string;
  /** What firing will run, in order, joined by spaces. */
  commands: string[];
  /** Gratuitous ARPs started right after. */
  announcements: string[];
  /** Processes the commands are batched into. */
  batches: number;
  /** Processes started now that wait for their script (batches and gratuitous ARPs). */
  primed: number;
  durationMs: number;
}

/** One process a fired switchover ran. */
export interface FiredBatch {
  command: string;
  lines: number;
  ok: boolean;
  /** Offset from the fire request's arrival at the agent, ms. */
  startedAtMs: number;
  durationMs: number;
  /** The process was started when the switchover was armed and only waited for its script. */
  primed: boolean;
  error?: string;
}

/** What `POST /v1/network/switchovers/:id/fire` returns once the delta ran. */
export interface FiredSwitchoverReport {
  id: string;
  host: string;
  /** Agent clock, ISO-8601: when the fire request arrived. */
  firedAt: string;
  /** From the request's arrival to the last batch's exit. */
  durationMs: number;
  ok: boolean;
  batches: FiredBatch[];
  announcements: string[];
  /** Offset of the first gratuitous ARP from the fire's arrival, ms; null without any. */
  announcedAtMs: number | null;
}

/** What `GET /v1/network` on an agent returns. */
export interface AgentNetworkStatus {
  desired: HostNetworkState | null;
  lastApply: NetworkApplyReport | null;
  /** Drift repaired by periodic reconciliation since the agent started, newest last (bounded). */
  driftLog: Array<NetworkDrift & { at: string }>;
}
