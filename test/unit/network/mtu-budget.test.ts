import { describe, expect, it } from 'vitest';
import { guestMtuProblem, mtuBudget, mtuStackProblem, sizeOnUnderlay } from '../../../src/network/core/mtu-budget';
import { overheadRange, type MtuLayer } from '../../../src/network/core/mtu-layers';

const ethernet: MtuLayer = { kind: 'ethernet' };
const vlan: MtuLayer = { kind: 'vlan' };
const vxlan4: MtuLayer = { kind: 'vxlan', outer: 'ipv4' };
const espGcmTransport: MtuLayer = { kind: 'esp', mode: 'transport', cipher: 'aes-gcm-128' };
const espGcmTunnelNatT: MtuLayer = { kind: 'esp', mode: 'tunnel', cipher: 'aes-gcm-128', natTraversal: true };

function largest(stack: MtuLayer[], underlayMtuBytes = 1500): number {
  return mtuBudget({ stack, underlayMtuBytes }).largestGuestMtuBytes;
}

describe('MTU budget: tunnels without encryption', () => {
  // RFC 7348 §5: outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14 (no FCS) = 50.
  it("VXLAN costs 50 bytes over IPv4: OpenStack's 1450 for tunnelled networks on a 1500 underlay", () => {
    const budget = mtuBudget({ stack: [ethernet, vxlan4], underlayMtuBytes: 1500 });
    expect(budget.largestGuestMtuBytes).toBe(1450);
    expect(budget.layers.map((l) => l.overheadBytes)).toEqual([14, 36]);
    expect(budget.tcpMssBytes).toBe(1410);
  });

  it("VXLAN costs 54 bytes with the inner 802.1Q tag (the study's VXLAN figure): 50 + 4", () => {
    expect(largest([ethernet, vlan, vxlan4])).toBe(1446);
  });

  it('VXLAN over IPv6 costs 70 (the IPv6 fixed header is 40, RFC 8200)', () => {
    expect(largest([ethernet, { kind: 'vxlan', outer: 'ipv6' }])).toBe(1430);
  });

  // RFC 2784 §2.1: 4-byte GRE header; RFC 2890 §2: +4 key, +4 sequence number; the C bit adds checksum+reserved1.
  it('GRE carrying IP costs 24 (20 + 4); each optional field 4 more', () => {
    expect(largest([{ kind: 'gre', outer: 'ipv4' }])).toBe(1476);
    expect(largest([{ kind: 'gre', outer: 'ipv4', key: true }])).toBe(1472);
    expect(largest([{ kind: 'gre', outer: 'ipv4', key: true, sequence: true, checksum: true }])).toBe(1464);
  });

  it("GRE with a key carrying Ethernet costs 42 (Neutron's 22 + IPv4 20); the study's 46 counts the inner VLAN tag like its 54", () => {
    const gretap: MtuLayer = { kind: 'gre', outer: 'ipv4', key: true };
    expect(mtuBudget({ stack: [ethernet, gretap], underlayMtuBytes: 1500 }).overheadBytes).toBe(42);
    expect(mtuBudget({ stack: [ethernet, vlan, gretap], underlayMtuBytes: 1500 }).overheadBytes).toBe(46);
  });

  // RFC 8926 §3.4: UDP 8 + Geneve base 8 + options; OVN sends one 8-byte option (its 1442 on 1500).
  it("Geneve costs 50 without options and 58 with OVN's 8 option bytes", () => {
    expect(largest([ethernet, { kind: 'geneve', outer: 'ipv4' }])).toBe(1450);
    expect(largest([ethernet, { kind: 'geneve', outer: 'ipv4', optionsBytes: 8 }])).toBe(1442);
  });

  // WireGuard's data message: type 1 + reserved 3 + receiver 4 + counter 8 + tag 16 = 32, in UDP 8 and IP 20/40.
  it('WireGuard costs 60 over IPv4 and 80 over IPv6; VXLAN inside it leaves 1390', () => {
    expect(largest([{ kind: 'wireguard', outer: 'ipv4' }])).toBe(1440);
    expect(largest([{ kind: 'wireguard', outer: 'ipv6' }])).toBe(1420);
    expect(largest([ethernet, vxlan4, { kind: 'wireguard', outer: 'ipv4' }])).toBe(1390);
  });
});

describe('MTU budget: IPsec ESP', () => {
  // RFC 4303 + RFC 4106: SPI 4 + sequence 4 + IV 8 + pad 0..3 + pad length 1 + next header 1 + ICV 16 = 34..37.
  it("ESP with AES-GCM in transport mode costs 34 to 37 bytes: the study's 'IPsec up to 37'", () => {
    expect(overheadRange(espGcmTransport)).toEqual({ minBytes: 34, maxBytes: 37 });
    expect(overheadRange({ ...espGcmTransport, cipher: 'aes-gcm-256' })).toEqual({ minBytes: 34, maxBytes: 37 });
  });

  // RFC 3948 §2.1: NAT-T puts ESP in UDP (8); tunnel mode adds a new IPv4 header (20): 37 + 28 = 65.
  it("ESP tunnel mode with NAT-T costs 62 to 65 bytes: the study's 65 is the worst padding", () => {
    expect(overheadRange(espGcmTunnelNatT)).toEqual({ minBytes: 62, maxBytes: 65 });
  });

  // VXLAN 50 + ESP 34: the UDP datagram ESP protects is 8 + 8 + 14 + 1416 = 1446, +2 trailer = 1448, a whole
  // number of 4-byte words, so no padding: 20 + 8 + 8 + 1446 + 2 + 16 = 1500 exactly.
  it("VXLAN in ESP transport mode with AES-GCM leaves 1416 bytes: the study's 1416", () => {
    const budget = mtuBudget({ stack: [ethernet, vxlan4, espGcmTransport], underlayMtuBytes: 1500 });
    expect(budget.largestGuestMtuBytes).toBe(1416);
    expect(budget.layers[2]).toMatchObject({ overheadBytes: 34, paddingBytes: 0 });
    expect(sizeOnUnderlay([ethernet, vxlan4, espGcmTransport], 1416)).toBe(1500);
    expect(sizeOnUnderlay([ethernet, vxlan4, espGcmTransport], 1417)).toBeGreaterThan(1500);
  });

  // Tunnel + NAT-T: 20 + 8 + 8 + 8 + (50 + G) + pad + 2 + 16 ≤ 1500 gives G = 1388 with no padding. The study's 1384
  // is that budget with its 54-byte VXLAN (inner VLAN tag): 1500 − 54 − 62 = 1384, again with no padding.
  it("VXLAN in ESP tunnel mode with NAT-T leaves 1388, and 1384 with the study's 54-byte VXLAN (inner VLAN tag)", () => {
    expect(largest([ethernet, vxlan4, espGcmTunnelNatT])).toBe(1388);
    expect(largest([ethernet, vlan, vxlan4, espGcmTunnelNatT])).toBe(1384);
  });

  // RFC 3602: 16-byte IV and block; RFC 2404: 12-byte ICV. 30 + G + 2 must fill 16-byte blocks within
  // 1500 − 20 − 8 − 16 − 12 = 1444, i.e. at most 1440: G = 1408, 4 less than the 1500 − 50 − 38 = 1412 without padding.
  it('ESP with AES-CBC pads to 16-byte blocks: HMAC-SHA1-96 and HMAC-SHA-256-128 both leave 1408 over VXLAN', () => {
    const sha1 = mtuBudget({
      stack: [ethernet, vxlan4, { kind: 'esp', mode: 'transport', cipher: 'aes-cbc-hmac-sha1' }],
      underlayMtuBytes: 1500,
    });
    expect(sha1.largestGuestMtuBytes).toBe(1408);
    expect(sha1.layers[2]).toMatchObject({ paddingBytes: 0, minOverheadBytes: 38, maxOverheadBytes: 53 });
    expect(sizeOnUnderlay([ethernet, vxlan4, { kind: 'esp', mode: 'transport', cipher: 'aes-cbc-hmac-sha1' }], 1408)).toBe(1496);
    expect(largest([ethernet, vxlan4, { kind: 'esp', mode: 'transport', cipher: 'aes-cbc-hmac-sha256' }])).toBe(1408);
    expect(largest([ethernet, vxlan4, { kind: 'esp', mode: 'tunnel', cipher: 'aes-cbc-hmac-sha256' }])).toBe(1388);
  });

  it('ESP transport mode keeps the IPv6 header of the VXLAN packet it protects: 1500 − 70 − 34 = 1396', () => {
    expect(largest([ethernet, { kind: 'vxlan', outer: 'ipv6' }, espGcmTransport])).toBe(1396);
  });

  it('a routed ESP tunnel without an overlay: 1500 − 20 − 34, rounded to whole 4-byte words', () => {
    const budget = mtuBudget({ stack: [{ kind: 'esp', mode: 'tunnel', cipher: 'aes-gcm-128' }], underlayMtuBytes: 1500 });
    expect(budget.largestGuestMtuBytes).toBe(1446);
    expect(budget.worstCaseOverheadBytes).toBe(57);
  });

  it('a jumbo underlay moves the budget by the same bytes', () => {
    expect(largest([ethernet, vxlan4, espGcmTransport], 9000)).toBe(8916);
  });
});

describe('MTU budget: refusals', () => {
  it('refuses a guest MTU above the budget and says why', () => {
    const budget = mtuBudget({ stack: [ethernet, vxlan4, espGcmTransport], underlayMtuBytes: 1500 });
    expect(guestMtuProblem(budget, 1416)).toBeNull();
    expect(guestMtuProblem(budget, 1450)).toMatch(/1450 bytes would black-hole.*costs 84 bytes.*at most 1416/);
  });

  it('refuses stacks whose layers do not fit together', () => {
    expect(mtuStackProblem([vxlan4])).toMatch(/layer 0 \(vxlan\) carries an Ethernet frame, not an IP packet/);
    expect(mtuStackProblem([ethernet])).toMatch(/outermost layer must be an IP tunnel/);
    expect(mtuStackProblem([espGcmTransport])).toMatch(/transport mode protects a tunnel's own packets/);
    expect(mtuStackProblem([ethernet, { kind: 'wireguard', outer: 'ipv4' }])).toMatch(/carries an IP packet, not an Ethernet frame/);
    expect(mtuStackProblem([ethernet, { kind: 'geneve', outer: 'ipv4', optionsBytes: 6 }])).toMatch(/4-byte words/);
    expect(mtuStackProblem([ethernet, vxlan4, { ...espGcmTransport, outer: 'ipv6' }])).toMatch(/keeps the ipv4 header/);
    expect(mtuStackProblem([ethernet, vlan, vxlan4, espGcmTunnelNatT])).toBeNull();
  });

  it('refuses an underlay too small for its family or the guest', () => {
    expect(() => mtuBudget({ stack: [ethernet, { kind: 'vxlan', outer: 'ipv6' }], underlayMtuBytes: 1200 })).toThrow(/1280 to 65535/);
    expect(() => mtuBudget({ stack: [ethernet, vxlan4], underlayMtuBytes: 1300, guestFamily: 'ipv6' })).toThrow(
      /ipv6 guest needs at least 1280/,
    );
    expect(() => mtuBudget({ stack: [], underlayMtuBytes: 1500.5 })).toThrow(RangeError);
  });

  it('a flat network (no layers) costs nothing', () => {
    expect(largest([])).toBe(1500);
  });
});
