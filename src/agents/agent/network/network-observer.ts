import type { ProcessRunner } from '../../../common/process/process-runner';
import {
  parseFdbShow,
  parseIpAddrShow,
  parseNeighShow,
  parseNetnsList,
  parseNftRuleset,
  parseRouteShow,
  parseRuleShow,
  parseSysctl,
} from './network-parsers';
import { NO_IPV6, isManagedNamespace } from './network-planner';
import { execIn, ipIn } from './network-plan';
import type { ObservedHost, ObservedNamespace } from './observed-state';

const TIMEOUT_MS = 10_000;
/** What ip says when /run/netns/NAME is a plain file, not a namespace mount. */
const STALE = /setting the network namespace .* failed: Invalid argument|Peer netns reference is invalid/;

/** Reads the host's network state through ip/bridge/nft/sysctl, for the planner. */
export class NetworkObserver {
  constructor(
    private readonly runner: ProcessRunner,
    private readonly netnsPrefix: string,
  ) {}

  async observe(): Promise<ObservedHost> {
    const [links, nft, fdb, netns] = await Promise.all([
      this.out(['ip', '-j', '-d', 'addr', 'show']),
      this.out(['nft', '-j', 'list', 'ruleset']),
      this.out(['bridge', '-j', 'fdb', 'show']),
      this.out(['ip', '-j', 'netns', 'list']),
    ]);
    const namespaceNames = parseNetnsList(netns);
    const managed = namespaceNames.filter((n) => isManagedNamespace(n, this.netnsPrefix));
    const inside = await Promise.all(
      managed.map((n) =>
        this.observeNamespace(n).catch((err: unknown) => {
          if (err instanceof Error && STALE.test(err.message)) return null;
          throw err;
        }),
      ),
    );
    return {
      host: { links: parseIpAddrShow(links), routes: [], rules: [], neighbours: [], nftTables: parseNftRuleset(nft), sysctl: {} },
      fdb: parseFdbShow(fdb).filter((e) => e.dev.startsWith('vxlan-')),
      namespaceNames,
      staleNamespaces: managed.filter((_, k) => inside[k] === null),
      namespaces: Object.fromEntries(managed.flatMap((n, k) => (inside[k] ? [[n, inside[k]]] : []))),
    };
  }

  private async observeNamespace(ns: string): Promise<ObservedNamespace> {
    const [addr, routes, rules, neigh, nft] = await Promise.all([
      this.out(ipIn(ns, '-j', '-d', 'addr', 'show')),
      this.out(ipIn(ns, '-j', 'route', 'show', 'table', 'all')),
      this.out(ipIn(ns, '-j', 'rule', 'show')),
      this.out(ipIn(ns, '-j', 'neigh', 'show', 'nud', 'permanent')),
      this.out(execIn(ns, ['nft', '-j', 'list', 'ruleset'])),
    ]);
    const links = parseIpAddrShow(addr);
    const keys = [
      'net.ipv4.ip_forward',
      'net.ipv4.ip_nonlocal_bind',
      ...Object.keys(NO_IPV6),
      ...links.filter((l) => l.name.startsWith('fg-')).map((l) => `net.ipv4.conf.${l.name}.proxy_arp`),
    ];
    const sysctl = parseSysctl(await this.out(execIn(ns, ['sysctl', '-e', ...keys])));
    return {
      links,
      routes: parseRouteShow(routes),
      rules: parseRuleShow(rules),
      neighbours: parseNeighShow(neigh),
      nftTables: parseNftRuleset(nft),
      sysctl,
    };
  }

  private async out(argv: string[]): Promise<string> {
    const [command, ...args] = argv;
    const result = await this.runner.run(command ?? '', args, { timeoutMs: TIMEOUT_MS });
    if (result.exitCode !== 0)
      throw new Error(
        `${argv.join(' ')} exited with ${result.exitCode ?? result.signal ?? 'nothing'}: ${result.stderr.trim().slice(0, 300)}`,
      );
    return result.stdout;
  }
}
