import { describe, expect, it } from 'vitest';
import { CaptureFormat, encodeCapture, framesWritten } from '../../support/pcap/encode-capture';
import { LinkKind } from '../../support/pcap/frames';
import { buildScenario, defaultScenario, Truth } from '../../support/pcap/scenario';
import { analyzeBuffers } from '../../support/pcap/analyze-buffer';
import { AnalysisReport } from '../../../src/analysis/core/analysis-report';

const NS_PER_SEC = 1_000_000_000n;
const epochSec = (ns: bigint): number => Number(ns / NS_PER_SEC) + Number(ns % NS_PER_SEC) / 1e9;

function expectMatchesTruth(report: AnalysisReport, truth: Truth, packets: number): void {
  expect(report.packets).toBe(packets);
  expect(report.migrations).toHaveLength(truth.migrations.length);
  truth.migrations.forEach((m, i) => {
    const got = report.migrations[i];
    expect(got).toMatchObject({
      source: m.source,
      destination: m.destination,
      sourcePort: m.sourcePort,
      destinationPort: m.destinationPort,
    });
    expect(got.payloadBytes).toBe(m.payloadBytes);
    expect(Math.abs(got.totalMigrationTimeMs - m.totalMigrationTimeMs)).toBeLessThanOrEqual(1);
    expect(got.firstPacketTs).toBeCloseTo(epochSec(m.firstNs), 6);
    expect(got.lastPacketTs).toBeCloseTo(epochSec(m.lastNs), 6);
    expect(got.throughputMbps).toBeCloseTo(m.throughputMbps, 3);
  });
  expect(report.rpc).toHaveLength(1);
  expect(report.rpc[0]).toMatchObject({ destinationPort: 16509, payloadBytes: truth.rpcPayloadBytes });
  const p = truth.probe;
  if (p === null) {
    expect(report.probe).toBeNull();
    return;
  }
  const got = report.probe;
  expect(got).not.toBeNull();
  if (got === null) return;
  expect(got.target).toBe(p.target);
  expect({ sent: got.sent, received: got.received, lost: got.lost }).toEqual({ sent: p.sent, received: p.received, lost: p.lost });
  expect(got.lossPct).toBeCloseTo(p.lossPct, 9);
  expect(got.probeIntervalMs).toBeCloseTo(p.probeIntervalMs, 6);
  expect(Math.abs((got.downtimeMs ?? NaN) - p.downtimeMs)).toBeLessThanOrEqual(p.probeIntervalMs);
  expect(got.maxReplyGapMs).toBeCloseTo(p.maxReplyGapMs, 6);
  expect(got.downtimeLossMs).toBeCloseTo(p.downtimeLossMs, 6);
  expect(Math.abs((got.jitterMs ?? NaN) - p.jitterMs)).toBeLessThanOrEqual(0.02 * p.jitterMs);
  expect(got.rtt.avgMs).toBeCloseTo(p.rtt.avgMs, 6);
  expect(got.rtt.p50Ms).toBeCloseTo(p.rtt.p50Ms, 6);
  expect(got.rtt.p95Ms).toBeCloseTo(p.rtt.p95Ms, 6);
  expect(got.rtt.maxMs).toBeCloseTo(p.rtt.maxMs, 6);
  const timelinePackets = report.timeline.reduce((a, b) => a + b.packets, 0);
  expect(timelinePackets).toBe(packets);
  expect(report.timeline.reduce((a, b) => a + b.migrationPayloadBytes, 0)).toBe(truth.migrations.reduce((a, m) => a + m.payloadBytes, 0));
}

const cases: {
  name: string;
  format: CaptureFormat;
  link: LinkKind;
  bigEndian?: boolean;
  tsresols?: number[];
  tsOffsetSec?: number;
  ipv6?: boolean;
}[] = [
  { name: 'pcap µs, Ethernet', format: 'pcap-us', link: 'ethernet' },
  { name: 'pcap µs, big-endian, 802.1Q VLAN', format: 'pcap-us', link: 'vlan', bigEndian: true },
  { name: 'pcap ns, QinQ', format: 'pcap-ns', link: 'qinq' },
  { name: 'pcap ns big-endian, Linux SLL', format: 'pcap-ns', link: 'sll', bigEndian: true },
  { name: 'pcap µs, Linux SLL2', format: 'pcap-us', link: 'sll2' },
  { name: 'pcap µs, raw IP', format: 'pcap-us', link: 'raw' },
  { name: 'pcapng, Ethernet, one µs interface', format: 'pcapng', link: 'ethernet' },
  { name: 'pcapng, 3 interfaces µs/ns/100 ns', format: 'pcapng', link: 'vlan', tsresols: [6, 9, 7] },
  { name: 'pcapng big-endian, SLL, ns + 2^-20 s... as µs', format: 'pcapng', link: 'sll', bigEndian: true, tsresols: [9, 6] },
  { name: 'pcapng, SLL2, if_tsoffset', format: 'pcapng', link: 'sll2', tsresols: [9], tsOffsetSec: 1_700_000_000 },
  { name: 'pcapng, QinQ, IPv6', format: 'pcapng', link: 'qinq', tsresols: [9, 6], ipv6: true },
  { name: 'pcap ns, Ethernet, IPv6', format: 'pcap-ns', link: 'ethernet', ipv6: true },
];

describe('metrics against the scenario ground truth', () => {
  it.each(cases)('$name', async (c) => {
    const { events, truth } = buildScenario(defaultScenario(c.ipv6 === true));
    const capture = encodeCapture(events, c);
    const report = await analyzeBuffers([capture]);
    expectMatchesTruth(report, truth, framesWritten(events, c.link));
    expect(report.warnings).toEqual([]);
  });

  it('finds the probe target by the most echo requests, and honours --vm-ip', async () => {
    const { events } = buildScenario(defaultScenario());
    const capture = encodeCapture(events, { format: 'pcap-us', link: 'ethernet' });
    expect((await analyzeBuffers([capture]))?.probe?.target).toBe('10.0.0.50');
    expect((await analyzeBuffers([capture], { vmIp: '10.0.0.99' })).probe).toBeNull();
  });

  it('uses a given probe interval for both downtime methods', async () => {
    const { events, truth } = buildScenario(defaultScenario());
    const capture = encodeCapture(events, { format: 'pcap-us', link: 'ethernet' });
    const report = await analyzeBuffers([capture], { probeIntervalMs: 20 });
    expect(report.probe?.probeIntervalMs).toBe(20);
    expect(report.probe?.downtimeLossMs).toBe((truth.probe?.lost ?? 0) * 20);
    expect(report.probe?.downtimeMs).toBeCloseTo((truth.probe?.maxReplyGapMs ?? 0) - 20, 6);
  });

  it('reports two migrations in one capture separately, keyed by 4-tuple', async () => {
    const spec = defaultScenario();
    spec.migrations.push({
      ...spec.migrations[0],
      source: '10.0.0.2',
      destination: '10.0.0.1',
      sourcePort: 52000,
      destinationPort: 49153,
      startUs: 3_000_000,
      segments: 50,
    });
    const { events, truth } = buildScenario(spec);
    const report = await analyzeBuffers([encodeCapture(events, { format: 'pcapng', link: 'ethernet' })]);
    expectMatchesTruth(report, truth, events.length);
  });

  it('gives zero counts for a valid capture without packets', async () => {
    for (const format of ['pcap-us', 'pcap-ns', 'pcapng'] as const) {
      const report = await analyzeBuffers([encodeCapture([], { format, link: 'ethernet' })]);
      expect(report).toMatchObject({ packets: 0, migrations: [], rpc: [], probe: null, timeline: [], firstPacketTs: null });
    }
  });
});
