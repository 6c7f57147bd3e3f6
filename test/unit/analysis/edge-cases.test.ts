import { describe, expect, it } from 'vitest';
import { Timeline } from '../../../src/analysis/core/timeline';
import { encodeCapture } from '../../support/pcap/encode-capture';
import { TCP, tcpPacket } from '../../support/pcap/frames';
import { buildScenario, defaultScenario, ScenarioEvent } from '../../support/pcap/scenario';
import { analyzeBuffers } from '../../support/pcap/analyze-buffer';

const BASE_NS = 1_763_780_000n * 1_000_000_000n;
const atMs = (ms: number): bigint => BASE_NS + BigInt(Math.round(ms * 1000)) * 1000n;

describe('TCP echo stall (port 7)', () => {
  it('is the largest gap between echoed segments, not masked by client retransmissions', async () => {
    const client = { src: '10.0.0.100', dst: '10.0.0.50', srcPort: 40001, dstPort: 7 };
    const server = { src: '10.0.0.50', dst: '10.0.0.100', srcPort: 7, dstPort: 40001 };
    const events: ScenarioEvent[] = [];
    const echoTimesMs: number[] = [];
    for (let k = 0; k < 100; k++) {
      const sentMs = k * 10;
      events.push({ tsNs: atMs(sentMs), packet: tcpPacket({ ...client, flags: TCP.ACK | TCP.PSH, payloadBytes: 32 }), channel: 0 });
      // The guest is away from 400 ms to 640 ms: the client keeps sending, nothing is echoed.
      if (sentMs >= 400 && sentMs < 640) continue;
      const echoMs = sentMs + 1.5;
      echoTimesMs.push(echoMs);
      events.push({ tsNs: atMs(echoMs), packet: tcpPacket({ ...server, flags: TCP.ACK | TCP.PSH, payloadBytes: 32 }), channel: 0 });
    }
    const expectedStall = Math.max(...echoTimesMs.slice(1).map((t, i) => t - echoTimesMs[i]));
    const report = await analyzeBuffers([encodeCapture(events, { format: 'pcap-ns', link: 'ethernet' })]);
    expect(report.tcpEcho).toHaveLength(1);
    expect(report.tcpEcho[0]).toMatchObject({
      client: '10.0.0.100',
      server: '10.0.0.50',
      serverPort: 7,
      echoedBytes: 32 * echoTimesMs.length,
    });
    expect(report.tcpEcho[0].maxStallMs).toBeCloseTo(expectedStall, 6);
    expect(expectedStall).toBeCloseTo(250, 6);
    expect(report.migrations).toEqual([]);
  });
});

describe('pcapng simple packet blocks', () => {
  it('are counted and decoded, with a warning that they carry no timestamp', async () => {
    const { events } = buildScenario({ ...defaultScenario(), noiseFrames: 0 });
    const report = await analyzeBuffers([simpleCapture(events)]);
    expect(report.packets).toBe(events.length);
    expect(report.migrations[0].payloadBytes).toBe(400 * 42_000);
    expect(report.warnings.join('\n')).toMatch(/simple packet blocks carry no timestamp/);
  });
});

function simpleCapture(events: ScenarioEvent[]): Buffer {
  // Header from the EPB writer, records as SPBs.
  const withHeader = encodeCapture([], { format: 'pcapng', link: 'ethernet' });
  const spbOnly = encodeCapture(events, { format: 'pcapng', link: 'ethernet', simple: true });
  return Buffer.concat([withHeader, spbOnly.subarray(withHeader.length)]);
}

describe('out-of-order timestamps within one capture', () => {
  it('take the earliest and latest packet for the stream times', async () => {
    const fwd = { src: '10.0.0.1', dst: '10.0.0.2', srcPort: 50000, dstPort: 49152 };
    const events: ScenarioEvent[] = [
      { tsNs: atMs(10), packet: tcpPacket({ ...fwd, flags: TCP.ACK, payloadBytes: 100 }), channel: 0 },
      { tsNs: atMs(5), packet: tcpPacket({ ...fwd, flags: TCP.ACK, payloadBytes: 100 }), channel: 0 },
      { tsNs: atMs(30), packet: tcpPacket({ ...fwd, flags: TCP.ACK, payloadBytes: 100 }), channel: 0 },
    ];
    const report = await analyzeBuffers([encodeCapture(events, { format: 'pcap-us', link: 'ethernet' })]);
    expect(report.migrations[0].totalMigrationTimeMs).toBeCloseTo(25, 9);
    expect(report.migrations[0].payloadBytes).toBe(300);
    expect(report.timeline.reduce((a, b) => a + b.packets, 0)).toBe(3);
  });
});

describe('Timeline', () => {
  it('widens its buckets past 100,000 and keeps every count', () => {
    const t = new Timeline(1);
    // Two packets 300 s apart at 1 ms buckets would need 300,001 buckets.
    t.add(0, 100, 10);
    t.add(300_000 * 1e6, 50, 5);
    const buckets = t.report((relNs) => relNs / 1e9);
    expect(buckets.length).toBeLessThanOrEqual(100_000);
    expect(t.widthMs).toBe(4);
    expect(buckets.reduce((a, b) => a + b.packets, 0)).toBe(2);
    expect(buckets.reduce((a, b) => a + b.bytes, 0)).toBe(150);
    expect(buckets.reduce((a, b) => a + b.migrationPayloadBytes, 0)).toBe(15);
  });

  it('puts negative offsets (frames before the first one) in earlier buckets', () => {
    const t = new Timeline(100);
    t.add(0, 1, 0);
    t.add(-1, 1, 0);
    expect(t.report((relNs) => relNs / 1e9).map((b) => b.ts)).toEqual([-0.1, 0]);
  });
});
