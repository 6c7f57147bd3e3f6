import { AnalysisOptions } from './analysis-options';
import { AnalysisReport } from './analysis-report';
import { DecodedPacket, PacketKind } from './decoded-packet';
import { ProbeTracker } from './probe-tracker';
import { seenInSeveralCaptures, StreamRole, TcpStreamState, TcpStreamTable, toEchoReport, toStreamReport } from './tcp-stream-table';
import { Timeline } from './timeline';

// 2^53 ns ≈ 104 days: beyond that, times relative to the first packet stop being exact nanoseconds.
const EXACT_SPAN_NS = 2 ** 53;

// Streaming aggregator: feed decoded packets in capture order, then finish(). Pure: no I/O.
export class CaptureAnalyzer {
  /** roleByPort[port]: StreamRole of a TCP server port; doubles as the decoder's watched-port table. */
  readonly roleByPort = new Uint8Array(65536);
  private readonly streams: TcpStreamTable;
  private readonly probes: ProbeTracker;
  private readonly timeline: Timeline;
  private readonly warnings: string[] = [];
  private packets = 0;
  private baseSec = 0;
  private baseNs = 0;
  private minRelNs = Infinity;
  private maxRelNs = -Infinity;

  constructor(private readonly options: AnalysisOptions) {
    for (let port = options.migrationPorts.from; port <= options.migrationPorts.to; port++) this.roleByPort[port] = StreamRole.Migration;
    for (const port of options.rpcPorts) this.roleByPort[port] = StreamRole.Rpc;
    for (const port of options.echoPorts) this.roleByPort[port] = StreamRole.Echo;
    this.streams = new TcpStreamTable(this.roleByPort);
    this.probes = new ProbeTracker(options.vmIp);
    this.timeline = new Timeline(options.timelineMs);
  }

  ingest(p: DecodedPacket): void {
    if (this.packets === 0) {
      this.baseSec = p.tsSec;
      this.baseNs = p.tsNs;
    }
    this.packets += 1;
    const relNs = (p.tsSec - this.baseSec) * 1e9 + (p.tsNs - this.baseNs);
    p.relNs = relNs;
    if (relNs < this.minRelNs) this.minRelNs = relNs;
    if (relNs > this.maxRelNs) this.maxRelNs = relNs;
    let migrationPayload = 0;
    switch (p.kind) {
      case PacketKind.Tcp:
        migrationPayload = this.streams.add(p);
        break;
      case PacketKind.EchoRequest:
        this.probes.request(p.dst, p.echoId, p.echoSeq, relNs, p.sourceIndex);
        break;
      case PacketKind.EchoReply:
        this.probes.reply(p.src, p.echoId, p.echoSeq, relNs);
        break;
    }
    this.timeline.add(relNs, p.wireBytes, migrationPayload);
  }

  addWarning(text: string): void {
    this.warnings.push(text);
  }

  finish(): AnalysisReport {
    const toEpochSec = (relNs: number): number => this.baseSec + (this.baseNs + relNs) / 1e9;
    const warnings = [...this.warnings];
    if (this.packets > 0 && this.maxRelNs - this.minRelNs > EXACT_SPAN_NS) {
      warnings.push('capture spans more than 104 days: times are not kept to the nanosecond');
    }
    const timeline = this.timeline.report(toEpochSec);
    if (this.timeline.widthMs !== this.options.timelineMs) {
      warnings.push(`timeline widened to ${this.timeline.widthMs} ms buckets to bound its size`);
    }
    const migrations = this.streams.streams(StreamRole.Migration);
    const rpc = this.streams.streams(StreamRole.Rpc);
    const echo = this.streams.streams(StreamRole.Echo);
    const probe = this.probes.report(this.options.probeIntervalMs, warnings, toEpochSec);
    const probeSeries = this.probes.series(warnings, toEpochSec);
    warnings.push(...this.streams.warnings(), ...this.probes.warnings());
    for (const s of [...migrations, ...rpc, ...echo].filter(seenInSeveralCaptures))
      warnings.push(`${describe(s)} appears in several captures: its packets and bytes are counted once per copy`);
    return {
      packets: this.packets,
      firstPacketTs: this.packets === 0 ? null : toEpochSec(this.minRelNs),
      lastPacketTs: this.packets === 0 ? null : toEpochSec(this.maxRelNs),
      migrations: migrations.map((s) => toStreamReport(s, toEpochSec)),
      rpc: rpc.map((s) => toStreamReport(s, toEpochSec)),
      probe,
      tcpEcho: echo.map((s) => toEchoReport(s, toEpochSec)),
      timelineMs: this.timeline.widthMs,
      timeline,
      probeSeries,
      warnings,
    };
  }
}

function describe(s: TcpStreamState): string {
  return `TCP ${s.client}:${s.clientPort} → ${s.server}:${s.serverPort}`;
}
