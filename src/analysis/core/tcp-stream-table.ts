import { TcpEchoReport, TcpStreamReport } from './analysis-report';
import { DecodedPacket, TcpFlag } from './decoded-packet';

export const StreamRole = { None: 0, Migration: 1, Rpc: 2, Echo: 3 } as const;
export type StreamRole = (typeof StreamRole)[keyof typeof StreamRole];

interface TcpStream {
  role: StreamRole;
  client: string;
  server: string;
  clientPort: number;
  serverPort: number;
  firstRelNs: number;
  lastRelNs: number;
  packets: number;
  payloadBytes: number;
  reversePayloadBytes: number;
  closed: boolean;
  lastEchoRelNs: number;
  maxStallNs: number;
  stallStartRelNs: number;
  /** Bit i set: seen in input capture i (capped at 30). */
  sourceMask: number;
}

/** Most TCP connections kept at once; past it the smaller half is dropped, so a SYN flood cannot grow memory. */
export const MAX_TRACKED_STREAMS = 8192;

const streamBytes = (s: TcpStream): number => s.payloadBytes + s.reversePayloadBytes;

// TCP connections on watched ports, keyed by 4-tuple with the listening (server) port telling the role.
// Memory is O(min(connections, MAX_TRACKED_STREAMS)), never O(packets).
export class TcpStreamTable {
  private readonly open = new Map<string, TcpStream>();
  private done: TcpStream[] = [];
  private cached: TcpStream | null = null;
  private readonly dropped = { streams: 0, packets: 0, payloadBytes: 0, largestBytes: 0 };

  constructor(private readonly roleByPort: Uint8Array) {}

  /** Returns the payload bytes that count as migration payload (client → server on a migration stream). */
  add(p: DecodedPacket): number {
    const relNs = p.relNs;
    let stream = this.cached;
    // Consecutive segments nearly always belong to the same connection, in either direction.
    const hit =
      stream !== null &&
      (p.tcpFlags & (TcpFlag.Syn | TcpFlag.Ack)) !== TcpFlag.Syn &&
      ((p.srcPort === stream.clientPort && p.dstPort === stream.serverPort && p.src === stream.client && p.dst === stream.server) ||
        (p.srcPort === stream.serverPort && p.dstPort === stream.clientPort && p.src === stream.server && p.dst === stream.client));
    if (!hit || stream === null) {
      stream = this.lookup(p, relNs);
      this.cached = stream;
    }
    if (relNs < stream.firstRelNs) stream.firstRelNs = relNs;
    if (relNs > stream.lastRelNs) stream.lastRelNs = relNs;
    stream.packets += 1;
    stream.sourceMask |= 1 << Math.min(p.sourceIndex, 30);
    if ((p.tcpFlags & (TcpFlag.Fin | TcpFlag.Rst)) !== 0) stream.closed = true;
    const fromClient = p.srcPort === stream.clientPort && p.src === stream.client;
    if (fromClient) {
      stream.payloadBytes += p.payloadBytes;
      return stream.role === StreamRole.Migration ? p.payloadBytes : 0;
    }
    stream.reversePayloadBytes += p.payloadBytes;
    if (stream.role === StreamRole.Echo && p.payloadBytes > 0) this.noteEcho(stream, relNs);
    return 0;
  }

  /** What eviction dropped, for the report's warnings; empty when every connection was kept. */
  warnings(): string[] {
    const d = this.dropped;
    if (d.streams === 0) return [];
    return [
      `flow table full (${MAX_TRACKED_STREAMS} TCP connections): ${d.streams} smaller connections were dropped from the report ` +
        `(${d.packets} packets, ${d.payloadBytes} payload bytes, at most ${d.largestBytes} bytes each); the largest are kept`,
    ];
  }

  streams(role: StreamRole): readonly TcpStreamState[] {
    return [...this.done, ...this.open.values()].filter((s) => s.role === role).sort((a, b) => a.firstRelNs - b.firstRelNs);
  }

  private lookup(p: DecodedPacket, relNs: number): TcpStream {
    // The server is the side on a watched port; the destination is checked first (client → listener).
    const dstRole = this.roleByPort[p.dstPort] as StreamRole;
    const toServer = dstRole !== StreamRole.None;
    const client = toServer ? p.src : p.dst;
    const clientPort = toServer ? p.srcPort : p.dstPort;
    const server = toServer ? p.dst : p.src;
    const serverPort = toServer ? p.dstPort : p.srcPort;
    const key = `${client}|${clientPort}|${server}|${serverPort}`;
    let stream = this.open.get(key);
    const isNewSyn = (p.tcpFlags & (TcpFlag.Syn | TcpFlag.Ack)) === TcpFlag.Syn;
    if (stream !== undefined && stream.closed && isNewSyn) {
      // The 4-tuple was reused by a new connection: the old one is finished.
      this.done.push(stream);
      stream = undefined;
    }
    if (stream === undefined) {
      if (this.open.size + this.done.length >= MAX_TRACKED_STREAMS) this.evictSmaller();
      stream = {
        role: toServer ? dstRole : (this.roleByPort[p.srcPort] as StreamRole),
        client,
        server,
        clientPort,
        serverPort,
        firstRelNs: relNs,
        lastRelNs: relNs,
        packets: 0,
        payloadBytes: 0,
        reversePayloadBytes: 0,
        closed: false,
        lastEchoRelNs: Number.NaN,
        maxStallNs: Number.NaN,
        stallStartRelNs: Number.NaN,
        sourceMask: 0,
      };
      this.open.set(key, stream);
    }
    return stream;
  }

  // Keeps the larger half by payload (the migration streams and the echo stream), tallying what goes.
  private evictSmaller(): void {
    const all = [...this.done, ...this.open.values()];
    all.sort((a, b) => streamBytes(b) - streamBytes(a) || b.packets - a.packets || a.firstRelNs - b.firstRelNs);
    const keep = new Set(all.slice(0, MAX_TRACKED_STREAMS / 2));
    for (let i = MAX_TRACKED_STREAMS / 2; i < all.length; i++) {
      const s = all[i];
      this.dropped.streams += 1;
      this.dropped.packets += s.packets;
      this.dropped.payloadBytes += streamBytes(s);
      this.dropped.largestBytes = Math.max(this.dropped.largestBytes, streamBytes(s));
    }
    this.done = this.done.filter((s) => keep.has(s));
    for (const [key, s] of this.open) if (!keep.has(s)) this.open.delete(key);
    this.cached = null;
  }

  private noteEcho(stream: TcpStream, relNs: number): void {
    if (!Number.isNaN(stream.lastEchoRelNs)) {
      const gap = relNs - stream.lastEchoRelNs;
      if (Number.isNaN(stream.maxStallNs) || gap > stream.maxStallNs) {
        stream.maxStallNs = gap;
        stream.stallStartRelNs = stream.lastEchoRelNs;
      }
    }
    stream.lastEchoRelNs = relNs;
  }
}

export type TcpStreamState = Readonly<TcpStream>;

/** True when a stream's packets came from more than one input capture: each copy was counted. */
export function seenInSeveralCaptures(s: TcpStreamState): boolean {
  return (s.sourceMask & (s.sourceMask - 1)) !== 0;
}

export function toStreamReport(s: TcpStreamState, toEpochSec: (relNs: number) => number): TcpStreamReport {
  const totalMs = (s.lastRelNs - s.firstRelNs) / 1e6;
  return {
    source: s.client,
    destination: s.server,
    sourcePort: s.clientPort,
    destinationPort: s.serverPort,
    firstPacketTs: toEpochSec(s.firstRelNs),
    lastPacketTs: toEpochSec(s.lastRelNs),
    totalMigrationTimeMs: totalMs,
    payloadBytes: s.payloadBytes,
    reversePayloadBytes: s.reversePayloadBytes,
    packets: s.packets,
    // A one-packet stream has no duration, hence no rate.
    throughputMbps: totalMs > 0 ? (s.payloadBytes * 8) / (totalMs / 1000) / 1e6 : null,
  };
}

export function toEchoReport(s: TcpStreamState, toEpochSec: (relNs: number) => number): TcpEchoReport {
  return {
    client: s.client,
    server: s.server,
    serverPort: s.serverPort,
    firstPacketTs: toEpochSec(s.firstRelNs),
    lastPacketTs: toEpochSec(s.lastRelNs),
    echoedBytes: s.reversePayloadBytes,
    maxStallMs: Number.isNaN(s.maxStallNs) ? null : s.maxStallNs / 1e6,
    stallStartTs: Number.isNaN(s.stallStartRelNs) ? null : toEpochSec(s.stallStartRelNs),
  };
}
