// IPv4 arithmetic for subnets, allocation pools and link-local /31 pairs. Pure.

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit number. */
  network: number;
  prefixLength: number;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIpv4(value: string): boolean {
  return IPV4.test(value);
}

export function ipToNumber(ip: string): number {
  if (!isIpv4(ip)) throw new RangeError(`not an IPv4 address: ${ip}`);
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

export function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** Why a string is not a canonical IPv4 CIDR (host bits zero), or null when it is. */
export function cidrProblem(value: string): string | null {
  const [ip, prefix, ...rest] = value.split('/');
  if (rest.length > 0 || ip === undefined || prefix === undefined || !isIpv4(ip) || !/^\d{1,2}$/.test(prefix))
    return 'must be an IPv4 CIDR such as 10.0.0.0/24';
  const length = Number(prefix);
  if (length < 1 || length > 30) return 'prefix length must be 1..30';
  if (ipToNumber(ip) % 2 ** (32 - length) !== 0)
    return `host bits are set; did you mean ${numberToIp(ipToNumber(ip) - (ipToNumber(ip) % 2 ** (32 - length)))}/${length}?`;
  return null;
}

export function parseCidr(value: string): Ipv4Cidr {
  const problem = cidrProblem(value);
  if (problem) throw new RangeError(`${value}: ${problem}`);
  const [ip, prefix] = value.split('/') as [string, string];
  return { network: ipToNumber(ip), prefixLength: Number(prefix) };
}

export function cidrSize(cidr: Ipv4Cidr): number {
  return 2 ** (32 - cidr.prefixLength);
}

/** True when `ip` is a usable host address of the CIDR (not the network nor the broadcast address). */
export function isHostAddress(cidr: Ipv4Cidr, ip: string): boolean {
  if (!isIpv4(ip)) return false;
  const n = ipToNumber(ip);
  return n > cidr.network && n < cidr.network + cidrSize(cidr) - 1;
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.network < b.network + cidrSize(b) && b.network < a.network + cidrSize(a);
}

/** First free address from `start` to `end` inclusive, or null when the pool is exhausted. */
export function firstFree(start: string, end: string, used: ReadonlySet<string>): string | null {
  for (let n = ipToNumber(start); n <= ipToNumber(end); n++) {
    const ip = numberToIp(n);
    if (!used.has(ip)) return ip;
  }
  return null;
}
