import { describe, expect, it } from 'vitest';
import { encodeCapture } from '../../support/pcap/encode-capture';
import { enhancedPacketBlock, pcapngPreamble } from '../../support/pcap/hostile-captures';
import { buildScenario, defaultScenario } from '../../support/pcap/scenario';
import { analyzeBuffers } from '../../support/pcap/analyze-buffer';

// Records libpcap, tcpdump and Wireshark read although they break the format's rules: livemig reads them too and
// says so in one warning per kind, with the offset of the first.
const { events } = buildScenario({ ...defaultScenario(), noiseFrames: 0 });
const few = events.slice(0, 5);
const pcap = encodeCapture(few, { format: 'pcap-us', link: 'ethernet' });
const pcapng = encodeCapture(few, { format: 'pcapng', link: 'ethernet' });
const FIRST_EPB = 28 + 32;
const secondRecord = 24 + 16 + pcap.readUInt32LE(24 + 8);

function patched(buf: Buffer, edit: (b: Buffer) => void): Buffer {
  const copy = Buffer.from(buf);
  edit(copy);
  return copy;
}

describe('leniency like libpcap: read, with a warning at the offset', () => {
  const cases: { name: string; buf: Buffer; warning: RegExp }[] = [
    {
      name: 'pcap captured > original length',
      buf: patched(pcap, (b) => {
        b.writeUInt32LE(10, 24 + 12);
        b.writeUInt32LE(10, secondRecord + 12);
      }),
      warning: /capture-0: 2 records: captured length above the original length.*first at byte offset 24\)/,
    },
    {
      name: 'pcap µs fraction ≥ 10^6',
      buf: patched(pcap, (b) => b.writeUInt32LE(1_000_000, 24 + 4)),
      warning: /1 record: timestamp fraction of 1000000 or more, carried into the seconds \(first at byte offset 24\)/,
    },
    {
      name: 'pcap snaplen 0',
      buf: patched(pcap, (b) => b.writeUInt32LE(0, 16)),
      warning: /snaplen 0, taken as 262144 \(first at byte offset 16\)/,
    },
    {
      name: 'pcap snaplen 0xFFFFFFFF',
      buf: patched(pcap, (b) => b.writeUInt32LE(0xffffffff, 16)),
      warning: /snaplen 4294967295, taken as 262144/,
    },
    {
      name: 'pcapng captured > original length',
      buf: patched(pcapng, (b) => b.writeUInt32LE(10, FIRST_EPB + 24)),
      warning: new RegExp(`captured length above the original length.*first at byte offset ${FIRST_EPB}\\)`),
    },
  ];
  it.each(cases)('$name', async (c) => {
    for (const chunkBytes of [7, 4096]) {
      const r = await analyzeBuffers([c.buf], {}, chunkBytes);
      expect(r.packets).toBe(few.length);
      expect(r.warnings.some((w) => c.warning.test(w))).toBe(true);
    }
  });

  it('carries an out-of-range fraction into the seconds', async () => {
    const oneRecord = pcap.subarray(0, secondRecord);
    const r = await analyzeBuffers([patched(oneRecord, (b) => b.writeUInt32LE(2_500_000, 24 + 4))]);
    expect(r.firstPacketTs).toBeCloseTo(pcap.readUInt32LE(24) + 2.5, 6);
  });

  it('skips unknown pcapng block types with a warning, and reads several sections', async () => {
    const custom = Buffer.alloc(16);
    custom.writeUInt32LE(0x00000777, 0);
    custom.writeUInt32LE(16, 4);
    custom.writeUInt32LE(16, 12);
    const twoSections = Buffer.concat([pcapng.subarray(0, FIRST_EPB), custom, pcapng.subarray(FIRST_EPB), pcapng]);
    const r = await analyzeBuffers([twoSections], {}, 13);
    expect(r.packets).toBe(2 * few.length);
    expect(r.warnings.some((w) => /block of unknown type 0x777, skipped \(first at byte offset 60\)/.test(w))).toBe(true);
  });

  it('a million odd records give one warning line per kind', async () => {
    const header = Buffer.from(pcap.subarray(0, 24));
    const record = Buffer.alloc(16 + 20);
    record.writeUInt32LE(20, 8);
    record.writeUInt32LE(4, 12);
    const body = Buffer.alloc(record.length * 100_000);
    for (let at = 0; at < body.length; at += record.length) record.copy(body, at);
    const r = await analyzeBuffers([Buffer.concat([header, body])], {}, 1 << 20);
    expect(r.packets).toBe(100_000);
    expect(r.warnings.filter((w) => /captured length above the original/.test(w))).toHaveLength(1);
  });

  it('an EPB of 60 bytes is read whatever its padding', async () => {
    const r = await analyzeBuffers([Buffer.concat([pcapngPreamble(), enhancedPacketBlock(60, 60, 60)])]);
    expect(r.packets).toBe(1);
  });
});
