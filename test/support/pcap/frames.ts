// Builds packet headers for synthetic captures. Payload bytes are never materialized: a frame is its headers
// plus a declared wire length, as a snaplen-truncated capture stores it.

export type LinkKind = 'ethernet' | 'vlan' | 'qinq' | 'sll' | 'sll2' | 'raw';

export const LINK_TYPE: Record<LinkKind, number> = { ethernet: 1, vlan: 1, qinq: 1, sll: 113, sll2: 276, raw: 101 };

/** An IP packet: its header bytes and the length it had on the wire. */
export interface IpPacket {
  headers: Buffer;
  ipBytes: number;
}

const TCP_OPTIONS_TIMESTAMP = Buffer.from([1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2]);

export function ipv4Bytes(text: string): Buffer {
  return Buffer.from(text.split('.').map(Number));
}

export function ipv6Bytes(text: string): Buffer {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headPieces = head === '' ? [] : head.split(':');
  const tailPieces = tail === undefined || tail === '' ? [] : tail.split(':');
  const pieces =
    tail === undefined ? headPieces : [...headPieces, ...Array(8 - headPieces.length - tailPieces.length).fill('0'), ...tailPieces];
  const out = Buffer.alloc(16);
  pieces.forEach((p, i) => out.writeUInt16BE(parseInt(p, 16), 2 * i));
  return out;
}

function ipHeader(src: string, dst: string, protocol: number, l4Bytes: number): Buffer {
  if (src.includes(':')) {
    const h = Buffer.alloc(40);
    h[0] = 0x60;
    h.writeUInt16BE(l4Bytes, 4);
    h[6] = protocol === 1 ? 58 : protocol;
    h[7] = 64;
    ipv6Bytes(src).copy(h, 8);
    ipv6Bytes(dst).copy(h, 24);
    return h;
  }
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h.writeUInt16BE(20 + l4Bytes, 2);
  h.writeUInt16BE(0x4000, 6); // don't fragment
  h[8] = 64;
  h[9] = protocol;
  ipv4Bytes(src).copy(h, 12);
  ipv4Bytes(dst).copy(h, 16);
  return h;
}

export interface TcpSpec {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  flags: number;
  payloadBytes: number;
  seq?: number;
  /** Adds the 12-byte timestamp option (header length 32), as Linux does. */
  timestampOption?: boolean;
}

export const TCP = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;

export function tcpPacket(spec: TcpSpec): IpPacket {
  const options = spec.timestampOption === true ? TCP_OPTIONS_TIMESTAMP : Buffer.alloc(0);
  const tcp = Buffer.alloc(20 + options.length);
  tcp.writeUInt16BE(spec.srcPort, 0);
  tcp.writeUInt16BE(spec.dstPort, 2);
  tcp.writeUInt32BE((spec.seq ?? 0) >>> 0, 4);
  tcp[12] = (tcp.length / 4) << 4;
  tcp[13] = spec.flags;
  tcp.writeUInt16BE(65535, 14);
  options.copy(tcp, 20);
  const l4Bytes = tcp.length + spec.payloadBytes;
  const ip = ipHeader(spec.src, spec.dst, 6, l4Bytes);
  return { headers: Buffer.concat([ip, tcp]), ipBytes: ip.length + l4Bytes };
}

export function echoPacket(src: string, dst: string, reply: boolean, id: number, seq: number): IpPacket {
  const v6 = src.includes(':');
  const icmp = Buffer.alloc(8);
  icmp[0] = v6 ? (reply ? 129 : 128) : reply ? 0 : 8;
  icmp.writeUInt16BE(id, 4);
  icmp.writeUInt16BE(seq, 6);
  const l4Bytes = 8 + 56; // ping's default 56 data bytes
  const ip = ipHeader(src, dst, 1, l4Bytes);
  return { headers: Buffer.concat([ip, icmp]), ipBytes: ip.length + l4Bytes };
}

/** A frame that is not IP (ARP request), to check it is counted and otherwise ignored. */
export function arpFrameBody(): IpPacket {
  return { headers: Buffer.alloc(28, 1), ipBytes: 28 };
}

/** Link-layer header for an IP packet (etherType 0x0800/0x86dd; ARP uses 0x0806). */
export function linkHeader(kind: LinkKind, etherType: number): Buffer {
  switch (kind) {
    case 'ethernet':
    case 'vlan':
    case 'qinq': {
      const tags = kind === 'ethernet' ? [] : kind === 'vlan' ? [0x8100] : [0x88a8, 0x8100];
      const h = Buffer.alloc(14 + 4 * tags.length);
      Buffer.from([0x52, 0x54, 0, 0, 0, 2, 0x52, 0x54, 0, 0, 0, 1]).copy(h, 0);
      let at = 12;
      tags.forEach((tpid, i) => {
        h.writeUInt16BE(tpid, at);
        h.writeUInt16BE(100 + i, at + 2); // VLAN id
        at += 4;
      });
      h.writeUInt16BE(etherType, at);
      return h;
    }
    case 'sll': {
      const h = Buffer.alloc(16);
      h.writeUInt16BE(0, 0); // to us
      h.writeUInt16BE(1, 2); // ARPHRD_ETHER
      h.writeUInt16BE(6, 4);
      h.writeUInt16BE(etherType, 14);
      return h;
    }
    case 'sll2': {
      const h = Buffer.alloc(20);
      h.writeUInt16BE(etherType, 0);
      h.writeUInt32BE(3, 4); // interface index
      h.writeUInt16BE(1, 8);
      h[11] = 6;
      return h;
    }
    case 'raw':
      return Buffer.alloc(0);
  }
}

export function etherTypeOf(packet: IpPacket): number {
  const version = packet.headers[0] >> 4;
  return version === 4 ? 0x0800 : version === 6 ? 0x86dd : 0x0806;
}
