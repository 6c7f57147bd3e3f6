// The bytes each encapsulation adds to a packet, layer by layer, from the RFCs. Pure.
//
// Sizes are IP-level: the guest MTU and the underlay MTU are both the largest IP packet an interface sends.
// The underlay's own Ethernet header (and any 802.1Q tag on it) is outside its MTU and never counted; an
// Ethernet header counts only when a tunnel carries the frame inside it (the inner frame travels without its FCS,
// RFC 7348 §5).

export type OuterIp = 'ipv4' | 'ipv6';

/** IPv4 header without options (RFC 791), IPv6 fixed header (RFC 8200 §3). */
export const IP_HEADER_BYTES: Record<OuterIp, number> = { ipv4: 20, ipv6: 40 };
export const UDP_HEADER_BYTES = 8;
export const ETHERNET_HEADER_BYTES = 14;
export const VLAN_TAG_BYTES = 4;
export const VXLAN_HEADER_BYTES = 8;
export const GENEVE_BASE_HEADER_BYTES = 8;
export const GENEVE_MAX_OPTIONS_BYTES = 252;
export const GRE_BASE_HEADER_BYTES = 4;
export const GRE_OPTIONAL_FIELD_BYTES = 4;
/** SPI and sequence number (RFC 4303 §2). */
export const ESP_HEADER_BYTES = 8;
/** Pad Length and Next Header (RFC 4303 §2.4-2.6). */
export const ESP_TRAILER_BYTES = 2;
/** Type, reserved, receiver index, counter (16) and the Poly1305 tag (16): WireGuard's transport data message. */
export const WIREGUARD_MESSAGE_OVERHEAD_BYTES = 32;

/** ESP transforms, each with the IV it sends, the block its ciphertext aligns to and the ICV it appends. */
export const ESP_CIPHERS = {
  /** RFC 4106: 8-byte explicit IV, 16-byte ICV, a stream mode (only ESP's 4-byte alignment applies). */
  'aes-gcm-128': { ivBytes: 8, blockBytes: 4, icvBytes: 16 },
  'aes-gcm-256': { ivBytes: 8, blockBytes: 4, icvBytes: 16 },
  /** RFC 3602 (16-byte IV and block) with HMAC-SHA1-96 (RFC 2404, 12-byte ICV). */
  'aes-cbc-hmac-sha1': { ivBytes: 16, blockBytes: 16, icvBytes: 12 },
  /** RFC 3602 with HMAC-SHA-256-128 (RFC 4868 §2.6, 16-byte ICV). */
  'aes-cbc-hmac-sha256': { ivBytes: 16, blockBytes: 16, icvBytes: 16 },
  /** RFC 7634: 8-byte IV, 16-byte tag, a stream cipher. */
  'chacha20-poly1305': { ivBytes: 8, blockBytes: 4, icvBytes: 16 },
} as const;

export type EspCipher = keyof typeof ESP_CIPHERS;
export const ESP_CIPHER_NAMES = Object.keys(ESP_CIPHERS) as EspCipher[];

export type EspMode = 'transport' | 'tunnel';

/** One layer of a stack, innermost first after the guest's IP packet. */
export type MtuLayer =
  | { kind: 'ethernet' }
  | { kind: 'vlan' }
  | { kind: 'vxlan'; outer: OuterIp }
  | { kind: 'gre'; outer: OuterIp; key?: boolean; sequence?: boolean; checksum?: boolean }
  | { kind: 'geneve'; outer: OuterIp; optionsBytes?: number }
  | { kind: 'esp'; mode: EspMode; cipher: EspCipher; natTraversal?: boolean; outer?: OuterIp }
  | { kind: 'wireguard'; outer: OuterIp };

export type MtuLayerKind = MtuLayer['kind'];

/** What a layer carries and what it hands to the next one out. */
export type Carried = 'ip' | 'ethernet';

export function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

/** What the layer emits: a tunnel emits an IP packet, Ethernet and VLAN a frame. */
export function emits(layer: MtuLayer): Carried {
  return layer.kind === 'ethernet' || layer.kind === 'vlan' ? 'ethernet' : 'ip';
}

/** The size of the layer's output for an input of `innerBytes`. */
export function encapsulatedBytes(layer: MtuLayer, innerBytes: number): number {
  switch (layer.kind) {
    case 'ethernet':
      return innerBytes + ETHERNET_HEADER_BYTES;
    case 'vlan':
      return innerBytes + VLAN_TAG_BYTES;
    case 'vxlan':
      // RFC 7348 §5: outer IP, outer UDP, the 8-byte VXLAN header, then the inner frame.
      return innerBytes + IP_HEADER_BYTES[layer.outer] + UDP_HEADER_BYTES + VXLAN_HEADER_BYTES;
    case 'geneve':
      // RFC 8926 §3.4: an 8-byte base header and options in 4-byte multiples (at most 63 words).
      return innerBytes + IP_HEADER_BYTES[layer.outer] + UDP_HEADER_BYTES + GENEVE_BASE_HEADER_BYTES + (layer.optionsBytes ?? 0);
    case 'gre':
      // RFC 2784: 4 bytes, plus checksum+reserved1 (C bit); RFC 2890: key (K bit) and sequence number (S bit).
      return innerBytes + IP_HEADER_BYTES[layer.outer] + greHeaderBytes(layer);
    case 'wireguard':
      // The kernel pads the plaintext to 16 bytes but never past the device MTU, so a full-size packet pays none.
      return innerBytes + IP_HEADER_BYTES[layer.outer] + UDP_HEADER_BYTES + WIREGUARD_MESSAGE_OVERHEAD_BYTES;
    case 'esp':
      return espBytes(layer, innerBytes);
  }
}

export function greHeaderBytes(layer: { key?: boolean; sequence?: boolean; checksum?: boolean }): number {
  const optional = [layer.checksum, layer.key, layer.sequence].filter(Boolean).length;
  return GRE_BASE_HEADER_BYTES + optional * GRE_OPTIONAL_FIELD_BYTES;
}

/**
 * RFC 4303 §2: header, IV, the payload padded so payload + Pad Length + Next Header fills whole cipher blocks
 * (and at least 4-byte words, §2.4), then the ICV. Tunnel mode adds a new IP header (§3.1.2); transport mode
 * reuses the protected packet's. NAT traversal puts ESP in a UDP datagram on port 4500 (RFC 3948 §2.1).
 */
export function espParts(layer: Extract<MtuLayer, { kind: 'esp' }>, innerBytes: number): { fixedBytes: number; paddingBytes: number } {
  const cipher = ESP_CIPHERS[layer.cipher];
  const ipHeaderBytes = IP_HEADER_BYTES[layer.outer ?? 'ipv4'];
  const payloadBytes = layer.mode === 'transport' ? innerBytes - ipHeaderBytes : innerBytes;
  const paddingBytes = roundUp(payloadBytes + ESP_TRAILER_BYTES, cipher.blockBytes) - (payloadBytes + ESP_TRAILER_BYTES);
  const newIpHeaderBytes = layer.mode === 'tunnel' ? ipHeaderBytes : 0;
  const natTBytes = layer.natTraversal ? UDP_HEADER_BYTES : 0;
  return {
    fixedBytes: newIpHeaderBytes + natTBytes + ESP_HEADER_BYTES + cipher.ivBytes + ESP_TRAILER_BYTES + cipher.icvBytes,
    paddingBytes,
  };
}

function espBytes(layer: Extract<MtuLayer, { kind: 'esp' }>, innerBytes: number): number {
  const { fixedBytes, paddingBytes } = espParts(layer, innerBytes);
  return innerBytes + fixedBytes + paddingBytes;
}

/** The fewest and most bytes a layer adds, whatever the size of its input (padding is the only variable part). */
export function overheadRange(layer: MtuLayer): { minBytes: number; maxBytes: number } {
  if (layer.kind !== 'esp') {
    const fixed = encapsulatedBytes(layer, 0);
    return { minBytes: fixed, maxBytes: fixed };
  }
  const { fixedBytes } = espParts(layer, 0);
  return { minBytes: fixedBytes, maxBytes: fixedBytes + ESP_CIPHERS[layer.cipher].blockBytes - 1 };
}

export function describeLayer(layer: MtuLayer): string {
  switch (layer.kind) {
    case 'ethernet':
      return 'Ethernet (inner frame, no FCS)';
    case 'vlan':
      return '802.1Q tag';
    case 'vxlan':
      return `VXLAN over ${layer.outer}`;
    case 'geneve':
      return `Geneve over ${layer.outer}${layer.optionsBytes ? ` with ${layer.optionsBytes} option bytes` : ''}`;
    case 'gre': {
      const fields = [layer.checksum && 'checksum', layer.key && 'key', layer.sequence && 'sequence'].filter(Boolean);
      return `GRE over ${layer.outer}${fields.length ? ` with ${fields.join(', ')}` : ''}`;
    }
    case 'wireguard':
      return `WireGuard over ${layer.outer}`;
    case 'esp':
      return `ESP ${layer.mode} ${layer.cipher}${layer.natTraversal ? ' with NAT-T' : ''} over ${layer.outer ?? 'ipv4'}`;
  }
}
