// The MTU budget of an encapsulation stack: what each layer costs and the largest guest MTU that crosses the
// underlay without fragmentation. Pure.
import {
  describeLayer,
  emits,
  encapsulatedBytes,
  espParts,
  GENEVE_MAX_OPTIONS_BYTES,
  IP_HEADER_BYTES,
  overheadRange,
  type Carried,
  type MtuLayer,
  type OuterIp,
} from './mtu-layers';

/** RFC 791 §3.2: every IPv4 link carries 68 bytes; RFC 8200 §5: every IPv6 link 1280. */
export const MIN_MTU_BYTES: Record<OuterIp, number> = { ipv4: 68, ipv6: 1280 };
export const MAX_MTU_BYTES = 65535;
/** TCP header without options (RFC 9293). */
const TCP_HEADER_BYTES = 20;

export interface MtuBudgetInput {
  /** Innermost first: the layer that wraps the guest's IP packet comes first, the one the underlay sends last. */
  stack: readonly MtuLayer[];
  /** The underlay interface's IP MTU (its own Ethernet header and tags excluded). */
  underlayMtuBytes: number;
  /** The guest's IP family; sets the smallest MTU it accepts and its TCP MSS. */
  guestFamily?: OuterIp;
}

export interface LayerOverhead {
  description: string;
  /** Bytes the layer adds to a guest packet of the largest MTU, padding included. */
  overheadBytes: number;
  paddingBytes: number;
  /** Over any packet size: padding makes ESP's vary by up to one cipher block. */
  minOverheadBytes: number;
  maxOverheadBytes: number;
}

export interface MtuBudget {
  underlayMtuBytes: number;
  largestGuestMtuBytes: number;
  /** underlay − largest guest MTU: what the stack costs a full-size packet. */
  overheadBytes: number;
  /** The sum of every layer's maximum: the per-packet cost in the worst padding case. */
  worstCaseOverheadBytes: number;
  /** The MSS to clamp TCP to on the stretched network (RFC 4459 §3.2 calls this MSS clamping). */
  tcpMssBytes: number;
  layers: LayerOverhead[];
}

/** Why a stack cannot be built, or null. Each layer must carry what the layer inside it emits. */
export function mtuStackProblem(stack: readonly MtuLayer[]): string | null {
  let carried: Carried = 'ip';
  let innerTunnel: OuterIp | null = null;
  for (const [index, layer] of stack.entries()) {
    const at = `layer ${index} (${layer.kind})`;
    const needs = carriedBy(layer);
    if (needs !== 'any' && needs !== carried)
      return `${at} carries ${needs === 'ip' ? 'an IP packet' : 'an Ethernet frame'}, not ${carried === 'ip' ? 'an IP packet' : 'an Ethernet frame'}`;
    if (layer.kind === 'esp' && layer.mode === 'transport') {
      // Transport mode protects a packet the gateway itself sends (a tunnel's), reusing its IP header.
      if (innerTunnel === null)
        return `${at}: ESP transport mode protects a tunnel's own packets; put a tunnel (VXLAN, GRE, Geneve) inside it or use tunnel mode`;
      if (layer.outer !== undefined && layer.outer !== innerTunnel)
        return `${at}: ESP transport mode keeps the ${innerTunnel} header of the packet it protects`;
    }
    if (layer.kind === 'geneve') {
      const options = layer.optionsBytes ?? 0;
      if (!Number.isInteger(options) || options < 0 || options > GENEVE_MAX_OPTIONS_BYTES || options % 4 !== 0)
        return `${at}: Geneve options are 0..${GENEVE_MAX_OPTIONS_BYTES} bytes in 4-byte words (RFC 8926 §3.4)`;
    }
    carried = emits(layer);
    innerTunnel = carried === 'ip' ? outerOf(layer, innerTunnel) : null;
  }
  if (carried !== 'ip') return "the outermost layer must be an IP tunnel; the underlay's own Ethernet header and tags are outside its MTU";
  return null;
}

/** Throws a RangeError with the reason when the stack or the MTU is impossible. */
export function mtuBudget(input: MtuBudgetInput): MtuBudget {
  const problem = mtuStackProblem(input.stack) ?? underlayProblem(input);
  if (problem) throw new RangeError(problem);
  const stack = resolveTransportFamilies(input.stack);
  const guestFamily = input.guestFamily ?? 'ipv4';
  const ranges = stack.map(overheadRange);
  // Start at the least the stack can cost and step down past the padding (at most a block per ESP layer).
  let guestMtuBytes = input.underlayMtuBytes - ranges.reduce((sum, r) => sum + r.minBytes, 0);
  while (guestMtuBytes > 0 && sizeOnUnderlay(stack, guestMtuBytes) > input.underlayMtuBytes) guestMtuBytes--;
  if (guestMtuBytes < MIN_MTU_BYTES[guestFamily]) {
    throw new RangeError(
      `the stack leaves ${Math.max(guestMtuBytes, 0)} bytes of a ${input.underlayMtuBytes}-byte underlay MTU; an ${guestFamily} guest needs at least ${MIN_MTU_BYTES[guestFamily]}`,
    );
  }
  const layers: LayerOverhead[] = [];
  let bytes = guestMtuBytes;
  for (const [index, layer] of stack.entries()) {
    const next = encapsulatedBytes(layer, bytes);
    const range = ranges[index] ?? { minBytes: 0, maxBytes: 0 };
    layers.push({
      description: describeLayer(layer),
      overheadBytes: next - bytes,
      paddingBytes: layer.kind === 'esp' ? espParts(layer, bytes).paddingBytes : 0,
      minOverheadBytes: range.minBytes,
      maxOverheadBytes: range.maxBytes,
    });
    bytes = next;
  }
  return {
    underlayMtuBytes: input.underlayMtuBytes,
    largestGuestMtuBytes: guestMtuBytes,
    overheadBytes: input.underlayMtuBytes - guestMtuBytes,
    worstCaseOverheadBytes: ranges.reduce((sum, r) => sum + r.maxBytes, 0),
    tcpMssBytes: guestMtuBytes - IP_HEADER_BYTES[guestFamily] - TCP_HEADER_BYTES,
    layers,
  };
}

/** The size on the underlay of a guest packet of `guestBytes` (a packet of the guest's MTU for the budget). */
export function sizeOnUnderlay(stack: readonly MtuLayer[], guestBytes: number): number {
  return resolveTransportFamilies(stack).reduce((bytes, layer) => encapsulatedBytes(layer, bytes), guestBytes);
}

/** Why a guest MTU would black-hole packets on this budget (DF set, too big for the underlay), or null. */
export function guestMtuProblem(budget: MtuBudget, guestMtuBytes: number): string | null {
  if (guestMtuBytes <= budget.largestGuestMtuBytes) return null;
  return (
    `a guest MTU of ${guestMtuBytes} bytes would black-hole full-size packets: the stack (${budget.layers.map((l) => l.description).join(' in ')}) ` +
    `costs ${budget.overheadBytes} bytes of the ${budget.underlayMtuBytes}-byte underlay MTU, so at most ${budget.largestGuestMtuBytes} bytes pass`
  );
}

function underlayProblem(input: MtuBudgetInput): string | null {
  const underlay = input.underlayMtuBytes;
  const family = outermostFamily(input.stack) ?? input.guestFamily ?? 'ipv4';
  if (!Number.isInteger(underlay) || underlay < MIN_MTU_BYTES[family] || underlay > MAX_MTU_BYTES)
    return `the underlay MTU must be an integer from ${MIN_MTU_BYTES[family]} to ${MAX_MTU_BYTES} bytes for ${family}`;
  return null;
}

function carriedBy(layer: MtuLayer): Carried | 'any' {
  switch (layer.kind) {
    case 'ethernet':
    case 'wireguard':
    case 'esp':
      return 'ip';
    case 'vlan':
    case 'vxlan':
    case 'geneve':
      return 'ethernet';
    case 'gre':
      // GRE carries IP (ethertype 0x0800) or whole frames (gretap, 0x6558).
      return 'any';
  }
}

/** The IP family of the packet a layer emits, or null for the guest's own packet (no tunnel yet). */
function outerOf(layer: MtuLayer, inner: OuterIp | null): OuterIp | null {
  if (layer.kind === 'esp') return layer.mode === 'transport' ? inner : (layer.outer ?? 'ipv4');
  if (layer.kind === 'ethernet' || layer.kind === 'vlan') return null;
  return layer.outer;
}

function outermostFamily(stack: readonly MtuLayer[]): OuterIp | null {
  let family: OuterIp | null = null;
  for (const layer of stack) family = emits(layer) === 'ip' ? outerOf(layer, family) : null;
  return family;
}

/** ESP transport mode takes the family of the packet it protects. */
function resolveTransportFamilies(stack: readonly MtuLayer[]): MtuLayer[] {
  let family: OuterIp | null = null;
  return stack.map((layer) => {
    const resolved: MtuLayer = layer.kind === 'esp' && layer.mode === 'transport' ? { ...layer, outer: family ?? 'ipv4' } : layer;
    family = emits(resolved) === 'ip' ? outerOf(resolved, family) : null;
    return resolved;
  });
}
