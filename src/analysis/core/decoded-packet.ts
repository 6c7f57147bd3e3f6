// One captured frame reduced to what the metrics need. Readers reuse these objects: never keep a reference.
export const PacketKind = {
  /** Anything the metrics do not look at beyond counting (non-IP, other protocols, unwatched TCP ports). */
  Other: 0,
  /** TCP with a watched port (migration, RPC, echo); src/dst/ports/payload are set. */
  Tcp: 1,
  /** ICMP or ICMPv6 echo request; echoId/echoSeq are set. */
  EchoRequest: 2,
  EchoReply: 3,
} as const;
export type PacketKind = (typeof PacketKind)[keyof typeof PacketKind];

export interface DecodedPacket {
  /** Capture timestamp: whole seconds since the epoch plus nanoseconds, kept apart to stay exact. */
  tsSec: number;
  tsNs: number;
  /** Length of the frame on the wire (not the snapped length). */
  wireBytes: number;
  kind: PacketKind;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  tcpFlags: number;
  /** TCP payload: IP total length − IP header − TCP header. Never derived from the captured length. */
  payloadBytes: number;
  echoId: number;
  echoSeq: number;
  /** Which input capture the frame came from (merge order), to flag traffic seen in several files. */
  sourceIndex: number;
  /** Nanoseconds since the analysis's first packet, set by the analyzer (not the decoder). Carried here rather
   * than passed as an argument: a double argument to a call V8 does not inline is boxed, once per packet. */
  relNs: number;
}

export const TcpFlag = { Fin: 0x01, Syn: 0x02, Rst: 0x04, Ack: 0x10 } as const;

export function emptyPacket(): DecodedPacket {
  return {
    tsSec: 0,
    tsNs: 0,
    wireBytes: 0,
    kind: PacketKind.Other,
    src: '',
    dst: '',
    srcPort: 0,
    dstPort: 0,
    tcpFlags: 0,
    payloadBytes: 0,
    echoId: 0,
    echoSeq: 0,
    sourceIndex: 0,
    relNs: Number.NaN,
  };
}
