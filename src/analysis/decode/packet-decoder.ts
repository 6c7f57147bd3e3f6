import { u16be, u32be } from '../format/bytes';
import { DecodedPacket, PacketKind } from '../core/decoded-packet';
import { formatIpv4, formatIpv6 } from './ip-address';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6, LinkType } from './link-type';

const IPPROTO_ICMP = 1;
const IPPROTO_TCP = 6;
const IPPROTO_ICMPV6 = 58;
const IPV6_EXTENSION = new Set([0, 43, 44, 51, 60]);

// Decodes link, IP and transport headers of one frame into a reused DecodedPacket. Hot path: no allocation
// except address text for watched packets (cached for IPv4).
export class PacketDecoder {
  /** Frames whose link type is not decoded, by link type. */
  readonly undecodedLinkTypes = new Map<number, number>();

  /** watchedTcpPorts[port] === 1 for ports whose TCP segments the metrics need. */
  constructor(private readonly watchedTcpPorts: Uint8Array) {}

  decode(linkType: number, b: Buffer, off: number, cap: number, wire: number, tsSec: number, tsNs: number, out: DecodedPacket): void {
    out.tsSec = tsSec;
    out.tsNs = tsNs;
    out.wireBytes = wire;
    out.kind = PacketKind.Other;
    const end = off + cap;
    let p: number;
    let etherType: number;
    switch (linkType) {
      case LinkType.Ethernet:
        if (cap < 14) return;
        etherType = u16be(b, off + 12);
        p = off + 14;
        break;
      case LinkType.LinuxSll:
        if (cap < 16) return;
        etherType = u16be(b, off + 14);
        p = off + 16;
        break;
      case LinkType.LinuxSll2:
        if (cap < 20) return;
        etherType = u16be(b, off);
        p = off + 20;
        break;
      case LinkType.Raw:
      case LinkType.RawOpenBsd:
        if (cap < 1) return;
        etherType = b[off] >> 4 === 6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
        p = off;
        break;
      case LinkType.Ipv4:
        etherType = ETHERTYPE_IPV4;
        p = off;
        break;
      case LinkType.Ipv6:
        etherType = ETHERTYPE_IPV6;
        p = off;
        break;
      case LinkType.Null: {
        if (cap < 4) return;
        // The address family is in the writer's byte order; AF_INET is 2 everywhere, AF_INET6 24/28/30.
        const family = b[off] !== 0 ? b[off] : b[off + 3];
        etherType = family === 2 ? ETHERTYPE_IPV4 : family === 24 || family === 28 || family === 30 ? ETHERTYPE_IPV6 : 0;
        p = off + 4;
        break;
      }
      default:
        this.undecodedLinkTypes.set(linkType, (this.undecodedLinkTypes.get(linkType) ?? 0) + 1);
        return;
    }
    // Stacked VLAN tags (802.1Q, QinQ): each is 4 bytes, the inner EtherType follows the tag control field.
    while ((etherType === 0x8100 || etherType === 0x88a8 || etherType === 0x9100) && p + 4 <= end) {
      etherType = u16be(b, p + 2);
      p += 4;
    }
    if (etherType === ETHERTYPE_IPV4) this.decodeIpv4(b, p, end, wire - (p - off), out);
    else if (etherType === ETHERTYPE_IPV6) this.decodeIpv6(b, p, end, wire - (p - off), out);
  }

  private decodeIpv4(b: Buffer, p: number, end: number, wireIpBytes: number, out: DecodedPacket): void {
    if (p + 20 > end || b[p] >> 4 !== 4) return;
    const headerBytes = (b[p] & 0x0f) * 4;
    let totalBytes = u16be(b, p + 2);
    // With TSO/GSO the capture can show total length 0 for a large segment: the wire length is then the truth.
    if (totalBytes === 0) totalBytes = wireIpBytes;
    if (headerBytes < 20 || totalBytes < headerBytes) return;
    if ((u16be(b, p + 6) & 0x1fff) !== 0) return; // later fragments carry no transport header
    const protocol = b[p + 9];
    const l4 = p + headerBytes;
    const l4Bytes = totalBytes - headerBytes;
    if (
      protocol === IPPROTO_TCP
        ? this.decodeTcp(b, l4, end, l4Bytes, out)
        : protocol === IPPROTO_ICMP && this.decodeEcho(b, l4, end, 8, 0, out)
    ) {
      this.setIpv4Addresses(b, p, out);
    }
  }

  // The last pair seen is kept: a stream's segments and acks carry the same two addresses, so the text is reused
  // without a cache lookup per packet.
  private lastA = -1;
  private lastB = -1;
  private lastAText = '';
  private lastBText = '';

  private setIpv4Addresses(b: Buffer, p: number, out: DecodedPacket): void {
    const src = u32be(b, p + 12);
    const dst = u32be(b, p + 16);
    if (src === this.lastA && dst === this.lastB) {
      out.src = this.lastAText;
      out.dst = this.lastBText;
      return;
    }
    if (src === this.lastB && dst === this.lastA) {
      out.src = this.lastBText;
      out.dst = this.lastAText;
      return;
    }
    out.src = formatIpv4(b, p + 12);
    out.dst = formatIpv4(b, p + 16);
    this.lastA = src;
    this.lastB = dst;
    this.lastAText = out.src;
    this.lastBText = out.dst;
  }

  private decodeIpv6(b: Buffer, p: number, end: number, wireIpBytes: number, out: DecodedPacket): void {
    if (p + 40 > end || b[p] >> 4 !== 6) return;
    let payloadBytes = u16be(b, p + 4);
    if (payloadBytes === 0) payloadBytes = wireIpBytes - 40; // jumbogram / GSO
    let next = b[p + 6];
    let l4 = p + 40;
    for (let hops = 0; IPV6_EXTENSION.has(next) && hops < 8; hops++) {
      if (l4 + 8 > end) return;
      let extBytes: number;
      if (next === 44) {
        if ((u16be(b, l4 + 2) & 0xfff8) !== 0) return; // later fragment
        extBytes = 8;
      } else if (next === 51) {
        extBytes = (b[l4 + 1] + 2) * 4;
      } else {
        extBytes = (b[l4 + 1] + 1) * 8;
      }
      next = b[l4];
      l4 += extBytes;
      payloadBytes -= extBytes;
    }
    if (payloadBytes < 0) return;
    let matched = false;
    if (next === IPPROTO_TCP) matched = this.decodeTcp(b, l4, end, payloadBytes, out);
    else if (next === IPPROTO_ICMPV6) matched = this.decodeEcho(b, l4, end, 128, 129, out);
    if (matched) {
      out.src = formatIpv6(b, p + 8);
      out.dst = formatIpv6(b, p + 24);
    }
  }

  private decodeTcp(b: Buffer, l4: number, end: number, l4Bytes: number, out: DecodedPacket): boolean {
    if (l4 + 14 > end) return false;
    const srcPort = u16be(b, l4);
    const dstPort = u16be(b, l4 + 2);
    if (this.watchedTcpPorts[srcPort] === 0 && this.watchedTcpPorts[dstPort] === 0) return false;
    const headerBytes = (b[l4 + 12] >> 4) * 4;
    if (headerBytes < 20 || headerBytes > l4Bytes) return false;
    out.kind = PacketKind.Tcp;
    out.srcPort = srcPort;
    out.dstPort = dstPort;
    out.tcpFlags = b[l4 + 13];
    out.payloadBytes = l4Bytes - headerBytes;
    return true;
  }

  private decodeEcho(b: Buffer, l4: number, end: number, requestType: number, replyType: number, out: DecodedPacket): boolean {
    if (l4 + 8 > end) return false;
    const type = b[l4];
    if (type === requestType) out.kind = PacketKind.EchoRequest;
    else if (type === replyType) out.kind = PacketKind.EchoReply;
    else return false;
    out.echoId = u16be(b, l4 + 4);
    out.echoSeq = u16be(b, l4 + 6);
    return true;
  }
}
