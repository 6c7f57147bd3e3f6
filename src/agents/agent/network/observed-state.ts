// What the agent found on its host, reduced to what the planner compares.
// Filled by the observer from `ip -j`, `bridge -j`, `nft -j` and sysctl.

export interface ObservedLink {
  name: string;
  /** `bridge`, `vxlan`, `veth`, `macvlan`…; undefined for plain devices (lo). */
  kind: string | undefined;
  master: string | undefined;
  mtu: number;
  mac: string;
  up: boolean;
  /** IPv4 addresses as `ip/prefix`. */
  addresses: string[];
  vxlan?: { id: number; local: string | undefined; port: number; learning: boolean };
  macvlanMode?: string;
}

export interface ObservedRoute {
  /** `main` when ip printed no table. */
  table: string;
  /** `default` or `ip/prefix` (host routes as `ip/32`). */
  dst: string;
  gateway: string | undefined;
  dev: string | undefined;
  /** `unicast` unless ip said otherwise (local, broadcast…). */
  type: string;
}

export interface ObservedRule {
  priority: number;
  /** `all` or an address (`ip/len` when not a host). */
  src: string;
  table: string;
}

export interface ObservedNeighbour {
  ip: string;
  dev: string;
  mac: string | undefined;
}

export interface ObservedFdbEntry {
  mac: string;
  dev: string;
  dst: string | undefined;
  /** Set on entries the bridge learned or owns; livemig never touches those. */
  master: string | undefined;
}

export interface NftRuleObserved {
  chain: string;
  handle: number;
  comment: string | undefined;
}

export interface NftTableObserved {
  family: string;
  name: string;
  chains: string[];
  rules: NftRuleObserved[];
}

/** One network namespace: the agent's own (host) or a qrouter/fip namespace. */
export interface ObservedNamespace {
  links: ObservedLink[];
  routes: ObservedRoute[];
  rules: ObservedRule[];
  neighbours: ObservedNeighbour[];
  nftTables: NftTableObserved[];
  /** `key = value` as sysctl printed them (absent keys are missing devices). */
  sysctl: Record<string, string>;
}

export interface ObservedHost {
  host: ObservedNamespace;
  fdb: ObservedFdbEntry[];
  /** Every namespace name on the machine (from `ip netns list`). */
  namespaceNames: string[];
  /**
   * Names listed under /run/netns that no longer hold a namespace (their bind
   * mount lived in a mount namespace that is gone): deleted and made again.
   */
  staleNamespaces: string[];
  /** Observed contents of the managed namespaces that exist, by real name. */
  namespaces: Record<string, ObservedNamespace>;
}

export const emptyNamespace = (): ObservedNamespace => ({ links: [], routes: [], rules: [], neighbours: [], nftTables: [], sysctl: {} });
