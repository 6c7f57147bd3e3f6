import type { NftTableObserved, ObservedFdbEntry, ObservedLink, ObservedNeighbour, ObservedRoute, ObservedRule } from './observed-state';

// Parsers of iproute2 6.x / nft 1.0 JSON output. Pure; fixtures in
// test/unit/agents/fixtures/network were captured on a Debian 12 host.

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const objects = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** ip prints nothing on an empty list; anything else must be JSON. */
function parseJson(text: string, what: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    throw new Error(`${what}: output is not JSON: ${trimmed.slice(0, 120)}`);
  }
}

/** `ip -j -d addr show`: links with their IPv4 addresses. */
export function parseIpAddrShow(text: string): ObservedLink[] {
  return objects(parseJson(text, 'ip -j -d addr show')).flatMap((o): ObservedLink[] => {
    const name = str(o.ifname);
    if (name === undefined) return [];
    const linkinfo = isObject(o.linkinfo) ? o.linkinfo : {};
    const data = isObject(linkinfo.info_data) ? linkinfo.info_data : {};
    const kind = str(linkinfo.info_kind);
    const flags = Array.isArray(o.flags) ? o.flags : [];
    const link: ObservedLink = {
      name,
      kind,
      master: str(o.master),
      mtu: num(o.mtu) ?? 0,
      mac: (str(o.address) ?? '').toLowerCase(),
      up: flags.includes('UP'),
      addresses: objects(o.addr_info)
        .filter((a) => a.family === 'inet')
        .map((a) => `${str(a.local) ?? ''}/${num(a.prefixlen) ?? 32}`),
    };
    if (kind === 'vxlan') {
      link.vxlan = { id: num(data.id) ?? -1, local: str(data.local), port: num(data.port) ?? 0, learning: data.learning === true };
    }
    if (kind === 'macvlan') link.macvlanMode = str(data.mode);
    return [link];
  });
}

/** `bridge -j fdb show`. */
export function parseFdbShow(text: string): ObservedFdbEntry[] {
  return objects(parseJson(text, 'bridge -j fdb show')).flatMap((o): ObservedFdbEntry[] => {
    const mac = str(o.mac);
    const dev = str(o.ifname);
    if (mac === undefined || dev === undefined) return [];
    return [{ mac: mac.toLowerCase(), dev, dst: str(o.dst), master: str(o.master) }];
  });
}

/** `ip -j route show table all`; `dst` normalised to `ip/prefix` for host routes. */
export function parseRouteShow(text: string): ObservedRoute[] {
  return objects(parseJson(text, 'ip -j route show')).flatMap((o): ObservedRoute[] => {
    const dst = str(o.dst);
    if (dst === undefined) return [];
    return [
      {
        table: str(o.table) ?? (typeof o.table === 'number' ? String(o.table) : 'main'),
        dst: dst === 'default' || dst.includes('/') || dst.includes(':') ? dst : `${dst}/32`,
        gateway: str(o.gateway),
        dev: str(o.dev),
        type: str(o.type) ?? 'unicast',
      },
    ];
  });
}

/** `ip -j rule show`. */
export function parseRuleShow(text: string): ObservedRule[] {
  return objects(parseJson(text, 'ip -j rule show')).map((o) => {
    const src = str(o.src) ?? 'all';
    const srclen = num(o.srclen);
    return {
      priority: num(o.priority) ?? 0,
      src: srclen !== undefined && srclen !== 32 ? `${src}/${srclen}` : src,
      table: str(o.table) ?? (typeof o.table === 'number' ? String(o.table) : 'main'),
    };
  });
}

/** `ip -j neigh show nud permanent`. */
export function parseNeighShow(text: string): ObservedNeighbour[] {
  return objects(parseJson(text, 'ip -j neigh show')).flatMap((o): ObservedNeighbour[] => {
    const ip = str(o.dst);
    const dev = str(o.dev);
    if (ip === undefined || dev === undefined) return [];
    return [{ ip, dev, mac: str(o.lladdr)?.toLowerCase() }];
  });
}

/** `ip -j netns list`. */
export function parseNetnsList(text: string): string[] {
  return objects(parseJson(text, 'ip -j netns list')).flatMap((o) => {
    const name = str(o.name);
    return name === undefined ? [] : [name];
  });
}

/** `nft -j list ruleset`: tables, chain names and rules with their handle and comment. */
export function parseNftRuleset(text: string): NftTableObserved[] {
  const root = parseJson(text, 'nft -j list ruleset');
  const items = isObject(root) ? objects(root.nftables) : [];
  const tables = new Map<string, NftTableObserved>();
  const key = (family: unknown, name: unknown) => `${String(family)} ${String(name)}`;
  for (const item of items) {
    if (isObject(item.table)) {
      const family = str(item.table.family);
      const name = str(item.table.name);
      if (family !== undefined && name !== undefined) tables.set(key(family, name), { family, name, chains: [], rules: [] });
    } else if (isObject(item.chain)) {
      const name = str(item.chain.name);
      if (name !== undefined) tables.get(key(item.chain.family, item.chain.table))?.chains.push(name);
    } else if (isObject(item.rule)) {
      const chain = str(item.rule.chain);
      const handle = num(item.rule.handle);
      if (chain !== undefined && handle !== undefined) {
        tables.get(key(item.rule.family, item.rule.table))?.rules.push({ chain, handle, comment: str(item.rule.comment) });
      }
    }
  }
  return [...tables.values()];
}

/** `sysctl -e key…` prints `key = value` per existing key. */
export function parseSysctl(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([\w./-]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match?.[1] !== undefined) out[match[1]] = match[2] ?? '';
  }
  return out;
}
