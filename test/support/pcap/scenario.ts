import { arpFrameBody, echoPacket, IpPacket, TCP, tcpPacket } from './frames';

// A synthetic live migration seen on one wire: a QEMU migration stream, libvirt RPC, an ICMP probe stream with a
// known outage, lost probes and a known RTT sequence, plus unrelated frames. The ground truth is computed here from
// the scenario's own parameters, never by the analyzer.

export interface ScenarioEvent {
  tsNs: bigint;
  packet: IpPacket;
  /** 0 migration, 1 probes, 2 RPC and noise: pcapng writers map channels to interfaces. */
  channel: number;
}

export interface MigrationSpec {
  source: string;
  destination: string;
  sourcePort: number;
  destinationPort: number;
  startUs: number;
  segments: number;
  payloadPerSegment: number;
  segmentGapUs: number;
}

export interface ProbeSpec {
  prober: string;
  target: string;
  startUs: number;
  count: number;
  intervalMs: number;
  id: number;
  /** Probes [outageFrom, outageFrom + outageProbes) get no reply: the injected outage. */
  outageFrom: number;
  outageProbes: number;
  /** Further probe indexes whose reply is lost. */
  lostIndexes: number[];
  /** RTT of probe k is rttUs[k % rttUs.length]. */
  rttUs: number[];
}

export interface ScenarioSpec {
  startSec: number;
  migrations: MigrationSpec[];
  rpcPackets: number;
  probe: ProbeSpec | null;
  noiseFrames: number;
}

export interface StreamTruth {
  source: string;
  destination: string;
  sourcePort: number;
  destinationPort: number;
  firstNs: bigint;
  lastNs: bigint;
  totalMigrationTimeMs: number;
  payloadBytes: number;
  throughputMbps: number;
}

export interface ProbeTruth {
  target: string;
  sent: number;
  received: number;
  lost: number;
  lossPct: number;
  probeIntervalMs: number;
  maxReplyGapMs: number;
  downtimeMs: number;
  downtimeLossMs: number;
  jitterMs: number;
  rtt: { avgMs: number; p50Ms: number; p95Ms: number; maxMs: number };
}

export interface Truth {
  packets: number;
  migrations: StreamTruth[];
  rpcPayloadBytes: number;
  probe: ProbeTruth | null;
}

export function defaultScenario(ipv6 = false): ScenarioSpec {
  const a = ipv6 ? 'fd00::1' : '10.0.0.1';
  const b = ipv6 ? 'fd00::2' : '10.0.0.2';
  return {
    startSec: 1_763_780_000,
    migrations: [
      {
        source: a,
        destination: b,
        sourcePort: 51234,
        destinationPort: 49152,
        startUs: 200_000,
        segments: 400,
        payloadPerSegment: 42_000,
        segmentGapUs: 5_000,
      },
    ],
    rpcPackets: 12,
    probe: {
      prober: ipv6 ? 'fd00::64' : '10.0.0.100',
      target: ipv6 ? 'fd00::32' : '10.0.0.50',
      startUs: 0,
      count: 250,
      intervalMs: 10,
      id: 0x4242,
      outageFrom: 120,
      outageProbes: 7,
      lostIndexes: [30, 31, 200],
      rttUs: [400, 650, 380, 900, 520, 410],
    },
    noiseFrames: 20,
  };
}

const us = (n: number): bigint => BigInt(Math.round(n)) * 1000n;

export function buildScenario(spec: ScenarioSpec): { events: ScenarioEvent[]; truth: Truth } {
  const base = BigInt(spec.startSec) * 1_000_000_000n;
  const events: ScenarioEvent[] = [];
  const add = (offsetUs: number, packet: IpPacket, channel: number): bigint => {
    const tsNs = base + us(offsetUs);
    events.push({ tsNs, packet, channel });
    return tsNs;
  };
  const migrations = spec.migrations.map((m) => addMigration(m, add));
  let rpcPayloadBytes = 0;
  const rpcClient = spec.migrations[0]?.source ?? '10.0.0.1';
  const rpcServer = spec.migrations[0]?.destination ?? '10.0.0.2';
  for (let i = 0; i < spec.rpcPackets; i++) {
    const fromClient = i % 2 === 0;
    const payload = 100 + i;
    if (fromClient) rpcPayloadBytes += payload;
    add(
      150_000 + i * 1_000,
      tcpPacket({
        src: fromClient ? rpcClient : rpcServer,
        dst: fromClient ? rpcServer : rpcClient,
        srcPort: fromClient ? 40_000 : 16509,
        dstPort: fromClient ? 16509 : 40_000,
        flags: TCP.ACK | TCP.PSH,
        payloadBytes: payload,
      }),
      2,
    );
  }
  for (let i = 0; i < spec.noiseFrames; i++) {
    // ARP, and TCP on an unwatched port: counted, never part of a metric.
    add(
      1_000 + i * 7_919,
      i % 2 === 0
        ? arpFrameBody()
        : tcpPacket({ src: rpcClient, dst: rpcServer, srcPort: 33_000, dstPort: 443, flags: TCP.ACK, payloadBytes: 500 }),
      2,
    );
  }
  const probe = spec.probe === null ? null : addProbes(spec.probe, add);
  events.sort((x, y) => (x.tsNs < y.tsNs ? -1 : x.tsNs > y.tsNs ? 1 : 0));
  return { events, truth: { packets: events.length, migrations, rpcPayloadBytes, probe } };
}

function addMigration(m: MigrationSpec, add: (offsetUs: number, p: IpPacket, channel: number) => bigint): StreamTruth {
  const fwd = { src: m.source, dst: m.destination, srcPort: m.sourcePort, dstPort: m.destinationPort, timestampOption: true };
  const rev = { src: m.destination, dst: m.source, srcPort: m.destinationPort, dstPort: m.sourcePort, timestampOption: true };
  let t = m.startUs;
  const firstNs = add(t, tcpPacket({ ...fwd, flags: TCP.SYN, payloadBytes: 0 }), 0);
  add((t += 100), tcpPacket({ ...rev, flags: TCP.SYN | TCP.ACK, payloadBytes: 0 }), 0);
  add((t += 100), tcpPacket({ ...fwd, flags: TCP.ACK, payloadBytes: 0 }), 0);
  for (let k = 0; k < m.segments; k++) {
    add(
      t + 100 + k * m.segmentGapUs,
      tcpPacket({ ...fwd, flags: TCP.ACK | TCP.PSH, payloadBytes: m.payloadPerSegment, seq: k * m.payloadPerSegment }),
      0,
    );
    if (k % 2 === 1) add(t + 100 + k * m.segmentGapUs + 30, tcpPacket({ ...rev, flags: TCP.ACK, payloadBytes: 0 }), 0);
  }
  t += 100 + m.segments * m.segmentGapUs;
  add(t, tcpPacket({ ...fwd, flags: TCP.FIN | TCP.ACK, payloadBytes: 0 }), 0);
  add((t += 50), tcpPacket({ ...rev, flags: TCP.FIN | TCP.ACK, payloadBytes: 0 }), 0);
  const lastNs = add((t += 50), tcpPacket({ ...fwd, flags: TCP.ACK, payloadBytes: 0 }), 0);
  const payloadBytes = m.segments * m.payloadPerSegment;
  const totalMigrationTimeMs = Number(lastNs - firstNs) / 1e6;
  return {
    source: m.source,
    destination: m.destination,
    sourcePort: m.sourcePort,
    destinationPort: m.destinationPort,
    firstNs,
    lastNs,
    totalMigrationTimeMs,
    payloadBytes,
    throughputMbps: (payloadBytes * 8) / (totalMigrationTimeMs / 1000) / 1e6,
  };
}

function addProbes(p: ProbeSpec, add: (offsetUs: number, pk: IpPacket, channel: number) => bigint): ProbeTruth {
  const lost = new Set(p.lostIndexes);
  for (let k = p.outageFrom; k < p.outageFrom + p.outageProbes; k++) lost.add(k);
  const rtts: number[] = [];
  const replyTimesUs: number[] = [];
  for (let k = 0; k < p.count; k++) {
    const sentUs = p.startUs + k * p.intervalMs * 1000;
    const seq = k + 1;
    add(sentUs, echoPacket(p.prober, p.target, false, p.id, seq), 1);
    if (lost.has(k)) continue;
    const rttUs = p.rttUs[k % p.rttUs.length];
    add(sentUs + rttUs, echoPacket(p.target, p.prober, true, p.id, seq), 1);
    rtts.push(rttUs / 1000);
    replyTimesUs.push(sentUs + rttUs);
  }
  // Ground truth straight from the definitions in METRICS.md.
  let maxGapUs = 0;
  for (let i = 1; i < replyTimesUs.length; i++) maxGapUs = Math.max(maxGapUs, replyTimesUs[i] - replyTimesUs[i - 1]);
  let jitter = 0;
  for (let i = 1; i < rtts.length; i++) jitter += (Math.abs(rtts[i] - rtts[i - 1]) - jitter) / 16;
  const sorted = [...rtts].sort((a, b) => a - b);
  const nearestRank = (pct: number): number => sorted[Math.ceil((pct / 100) * sorted.length) - 1];
  const received = rtts.length;
  return {
    target: p.target,
    sent: p.count,
    received,
    lost: p.count - received,
    lossPct: (100 * (p.count - received)) / p.count,
    probeIntervalMs: p.intervalMs,
    maxReplyGapMs: maxGapUs / 1000,
    downtimeMs: Math.max(0, maxGapUs / 1000 - p.intervalMs),
    downtimeLossMs: (p.count - received) * p.intervalMs,
    jitterMs: jitter,
    rtt: {
      avgMs: rtts.reduce((a, b) => a + b, 0) / received,
      p50Ms: nearestRank(50),
      p95Ms: nearestRank(95),
      maxMs: sorted[sorted.length - 1],
    },
  };
}
