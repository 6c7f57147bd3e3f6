import { u16be, u32be } from '../format/bytes';
// Address text in the forms the analyst types: dotted IPv4, RFC 5952 IPv6 (as WHATWG URL serializes it).

const v4Cache = new Map<number, string>();

export function formatIpv4(frame: Buffer, at: number): string {
  const value = u32be(frame, at);
  let text = v4Cache.get(value);
  if (text === undefined) {
    text = `${frame[at]}.${frame[at + 1]}.${frame[at + 2]}.${frame[at + 3]}`;
    if (v4Cache.size > 65_536) v4Cache.clear(); // bound memory on captures with address sweeps
    v4Cache.set(value, text);
  }
  return text;
}

export function formatIpv6(frame: Buffer, at: number): string {
  const pieces: number[] = [];
  for (let i = 0; i < 8; i++) pieces.push(u16be(frame, at + 2 * i));
  // The first longest run of two or more zero pieces is compressed to "::".
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (pieces[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && pieces[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return pieces.map((p) => p.toString(16)).join(':');
  const head = pieces
    .slice(0, bestStart)
    .map((p) => p.toString(16))
    .join(':');
  const tail = pieces
    .slice(bestStart + bestLength)
    .map((p) => p.toString(16))
    .join(':');
  return `${head}::${tail}`;
}

/** Canonical text of a user-given address, or null when it is not an IP address. */
export function normalizeIp(text: string): string | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4 !== null) {
    const octets = v4.slice(1).map(Number);
    return octets.every((o) => o <= 255) ? octets.join('.') : null;
  }
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return null;
  try {
    const host = new URL(`http://[${text}]/`).hostname;
    return host.slice(1, -1);
  } catch {
    return null;
  }
}
