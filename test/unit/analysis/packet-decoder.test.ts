import { describe, expect, it } from 'vitest';
import { DecodedPacket, emptyPacket, PacketKind } from '../../../src/analysis/core/decoded-packet';
import { PacketDecoder } from '../../../src/analysis/decode/packet-decoder';
import { echoPacket, etherTypeOf, LINK_TYPE, LinkKind, linkHeader, TCP, tcpPacket } from '../../support/pcap/frames';
import { IpPacket } from '../../support/pcap/frames';

const watched = new Uint8Array(65536);
watched[49152] = 1;

function decode(link: LinkKind, packet: IpPacket, snaplen = 128, patch?: (frame: Buffer, ipAt: number) => void): DecodedPacket {
  const header = linkHeader(link, etherTypeOf(packet));
  const frame = Buffer.concat([header, packet.headers]);
  patch?.(frame, header.length);
  const out = emptyPacket();
  const cap = Math.min(frame.length, snaplen);
  new PacketDecoder(watched).decode(LINK_TYPE[link], frame, 0, cap, header.length + packet.ipBytes, 1, 2, out);
  return out;
}

describe('PacketDecoder', () => {
  const seg = tcpPacket({
    src: '192.0.2.1',
    dst: '192.0.2.2',
    srcPort: 40000,
    dstPort: 49152,
    flags: TCP.ACK,
    payloadBytes: 1448,
    timestampOption: true,
  });

  it.each(['ethernet', 'vlan', 'qinq', 'sll', 'sll2', 'raw'] as const)('TCP payload from IP total length over %s', (link) => {
    expect(decode(link, seg)).toMatchObject({
      kind: PacketKind.Tcp,
      src: '192.0.2.1',
      dst: '192.0.2.2',
      srcPort: 40000,
      dstPort: 49152,
      payloadBytes: 1448,
      tcpFlags: TCP.ACK,
    });
  });

  it('ignores TCP on unwatched ports without decoding addresses', () => {
    const other = tcpPacket({ src: '192.0.2.1', dst: '192.0.2.2', srcPort: 1, dstPort: 443, flags: TCP.ACK, payloadBytes: 10 });
    expect(decode('ethernet', other).kind).toBe(PacketKind.Other);
  });

  it('uses the wire length when a TSO capture shows IPv4 total length 0', () => {
    const big = tcpPacket({ src: '192.0.2.1', dst: '192.0.2.2', srcPort: 40000, dstPort: 49152, flags: TCP.ACK, payloadBytes: 60_000 });
    const got = decode('ethernet', { headers: big.headers, ipBytes: 20 + 20 + 90_000 }, 128, (f, ip) => f.writeUInt16BE(0, ip + 2));
    expect(got.payloadBytes).toBe(90_000);
  });

  it('skips later IPv4 fragments', () => {
    expect(decode('ethernet', seg, 128, (f, ip) => f.writeUInt16BE(0x00b9, ip + 6)).kind).toBe(PacketKind.Other);
  });

  it('reads IPv6 TCP through a hop-by-hop extension header', () => {
    const v6 = tcpPacket({ src: 'fd00::1', dst: 'fd00:0:0:1::2', srcPort: 40000, dstPort: 49152, flags: TCP.SYN, payloadBytes: 0 });
    const hopByHop = Buffer.alloc(8);
    hopByHop[0] = 6; // next header TCP
    const headers = Buffer.concat([v6.headers.subarray(0, 40), hopByHop, v6.headers.subarray(40)]);
    headers[6] = 0;
    headers.writeUInt16BE(headers.readUInt16BE(4) + 8, 4);
    expect(decode('ethernet', { headers, ipBytes: v6.ipBytes + 8 })).toMatchObject({
      kind: PacketKind.Tcp,
      src: 'fd00::1',
      dst: 'fd00:0:0:1::2',
      payloadBytes: 0,
      tcpFlags: TCP.SYN,
    });
  });

  it.each([
    ['ICMP request', echoPacket('10.1.1.1', '10.1.1.2', false, 7, 9), PacketKind.EchoRequest],
    ['ICMP reply', echoPacket('10.1.1.2', '10.1.1.1', true, 7, 9), PacketKind.EchoReply],
    ['ICMPv6 request', echoPacket('fd00::1', 'fd00::2', false, 7, 9), PacketKind.EchoRequest],
    ['ICMPv6 reply', echoPacket('fd00::2', 'fd00::1', true, 7, 9), PacketKind.EchoReply],
  ])('%s', (_name, packet, kind) => {
    expect(decode('vlan', packet)).toMatchObject({ kind, echoId: 7, echoSeq: 9 });
  });

  it('leaves frames cut before the transport header as Other', () => {
    expect(decode('qinq', seg, 14 + 8 + 20 + 4).kind).toBe(PacketKind.Other);
  });
});
