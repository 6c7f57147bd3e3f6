// Pure: the rate of the root shaper in `tc -j qdisc show dev X` (tbf, htb default class not covered), and
// whether /sys/class/net is this network namespace's.

interface QdiscJson {
  kind?: unknown;
  root?: unknown;
  options?: { rate?: unknown };
}

/** Bits per second of a root tbf qdisc, or null when the interface is not shaped that way. tc -j gives bytes/s. */
export function rootShaperBitsPerSec(tcJson: string): number | null {
  let qdiscs: unknown;
  try {
    qdiscs = JSON.parse(tcJson);
  } catch {
    return null;
  }
  if (!Array.isArray(qdiscs)) return null;
  for (const q of qdiscs as QdiscJson[]) {
    if (q.root === true && q.kind === 'tbf' && typeof q.options?.rate === 'number' && q.options.rate > 0) return q.options.rate * 8;
  }
  return null;
}

/** /sys/class/net/X/speed is Mb/s; -1 or garbage when the driver does not know. */
export function sysfsSpeedBitsPerSec(text: string): number | null {
  const mbit = Number(text.trim());
  return Number.isFinite(mbit) && mbit > 0 ? mbit * 1e6 : null;
}

/**
 * True when /sys/class/net lists exactly the interfaces `ip -j link show` (netlink, this namespace) does: sysfs
 * shows the namespace it was mounted in, which is not ours when the agent entered a namespace with nsenter.
 */
export function sysfsIsThisNamespace(ipLinkJson: string, sysfsEntries: readonly string[]): boolean {
  let links: unknown;
  try {
    links = JSON.parse(ipLinkJson);
  } catch {
    return false;
  }
  if (!Array.isArray(links)) return false;
  const names = links.map((l: { ifname?: unknown }) => l.ifname).filter((n): n is string => typeof n === 'string');
  const entries = new Set(sysfsEntries);
  return names.length > 0 && names.length === entries.size && names.every((n) => entries.has(n));
}
