// Pure: the rate of the root shaper in `tc -j qdisc show dev X` (tbf, htb default class not covered).

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
