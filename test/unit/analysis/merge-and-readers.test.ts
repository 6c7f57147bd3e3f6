import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyzeStreams } from '../../../src/analysis/analyze-captures';
import { encodeCapture } from '../../support/pcap/encode-capture';
import { buildScenario, defaultScenario } from '../../support/pcap/scenario';
import { analyzeBuffers } from '../../support/pcap/analyze-buffer';
import { AnyCaptureReader } from '../../../src/analysis/format/capture-reader';
import { RawPacketSink } from '../../../src/analysis/format/raw-packet-sink';
// pcap-parser ships no types; it is only the oracle for classic pcap here.
const pcapParser = require('pcap-parser') as { parse(input: Readable): NodeJS.EventEmitter };

describe('several captures merged by timestamp', () => {
  it('gives the single-capture result when the traffic is split over files of different formats', async () => {
    const { events, truth } = buildScenario(defaultScenario());
    const whole = await analyzeBuffers([encodeCapture(events, { format: 'pcap-us', link: 'ethernet' })]);
    // The migration interface capture and the probe point capture, as two tcpdumps would write them.
    const migration = encodeCapture(
      events.filter((e) => e.channel !== 1),
      { format: 'pcapng', link: 'vlan', tsresols: [9] },
    );
    const probes = encodeCapture(
      events.filter((e) => e.channel === 1),
      { format: 'pcap-ns', link: 'sll' },
    );
    const merged = await analyzeBuffers([probes, migration]);
    expect(merged.packets).toBe(truth.packets);
    expect(merged.migrations).toEqual(whole.migrations);
    expect(merged.rpc).toEqual(whole.rpc);
    expect(merged.probe).toEqual(whole.probe);
    // Wire bytes differ (other link headers); packets and migration payload per bucket must not.
    const shape = (r: typeof whole): string[] => r.timeline.map((b) => `${b.ts} ${b.packets} ${b.migrationPayloadBytes}`);
    expect(shape(merged)).toEqual(shape(whole));
    expect(merged.warnings).toEqual([]);
  });

  it('interleaves three captures packet by packet', async () => {
    const { events } = buildScenario(defaultScenario());
    const thirds = [0, 1, 2].map((r) =>
      encodeCapture(
        events.filter((_, i) => i % 3 === r),
        { format: 'pcap-us', link: 'ethernet' },
      ),
    );
    const whole = await analyzeBuffers([encodeCapture(events, { format: 'pcap-us', link: 'ethernet' })]);
    const merged = await analyzeBuffers(thirds, {}, 333);
    expect(merged.probe).toEqual(whole.probe);
    expect(merged.timeline).toEqual(whole.timeline);
    expect(merged.migrations.map((m) => m.payloadBytes)).toEqual(whole.migrations.map((m) => m.payloadBytes));
  });

  it('warns when the same stream is counted from several captures', async () => {
    const { events } = buildScenario(defaultScenario());
    const capture = encodeCapture(events, { format: 'pcap-us', link: 'ethernet' });
    const twice = await analyzeBuffers([capture, capture]);
    expect(twice.warnings.join('\n')).toMatch(/several captures/);
  });

  it('accepts a Node Readable (an HTTP upload)', async () => {
    const { events } = buildScenario(defaultScenario());
    const capture = encodeCapture(events, { format: 'pcapng', link: 'ethernet' });
    const report = await analyzeStreams([{ name: 'upload.pcapng', stream: Readable.from([capture]) }]);
    expect(report.packets).toBe(events.length);
  });
});

describe('pcapng sections', () => {
  it('reads a file whose second section switches byte order and interfaces', async () => {
    const { events, truth } = buildScenario(defaultScenario());
    const half = Math.floor(events.length / 2);
    const first = encodeCapture(events.slice(0, half), { format: 'pcapng', link: 'ethernet', tsresols: [6] });
    const second = encodeCapture(events.slice(half), { format: 'pcapng', link: 'sll2', bigEndian: true, tsresols: [9, 6, 7] });
    const report = await analyzeBuffers([Buffer.concat([first, second])], {}, 1000);
    expect(report.packets).toBe(events.length);
    expect(report.migrations[0].payloadBytes).toBe(truth.migrations[0].payloadBytes);
    expect(report.probe?.lost).toBe(truth.probe?.lost);
  });
});

describe('classic pcap reader agrees with pcap-parser', () => {
  it('same records, timestamps and lengths', async () => {
    const { events } = buildScenario(defaultScenario());
    const capture = encodeCapture(events, { format: 'pcap-us', link: 'ethernet' });
    const oracle: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const parser = pcapParser.parse(Readable.from([capture]));
      parser.on(
        'packet',
        (p: {
          header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number };
          data: Buffer;
        }) =>
          oracle.push(
            `${p.header.timestampSeconds}.${p.header.timestampMicroseconds * 1000} ${p.header.capturedLength}/${p.header.originalLength} ${p.data.toString('hex')}`,
          ),
      );
      parser.on('end', resolve);
      parser.on('error', reject);
    });
    const ours: string[] = [];
    const sink: RawPacketSink = {
      onPacket: (_lt, frame, at, cap, wire, sec, ns) =>
        ours.push(`${sec}.${ns} ${cap}/${wire} ${frame.subarray(at, at + cap).toString('hex')}`),
    };
    const reader = new AnyCaptureReader('x', sink);
    for (let at = 0; at < capture.length; at += 1000) reader.push(capture.subarray(at, at + 1000));
    reader.end();
    expect(ours).toHaveLength(events.length);
    expect(ours).toEqual(oracle);
  });
});
