import { describe, expect, it } from 'vitest';
import { CaptureFormatError } from '../../../src/analysis/capture-format.error';
import { encodeCapture } from '../../support/pcap/encode-capture';
import { buildScenario, defaultScenario } from '../../support/pcap/scenario';
import { analyzeBuffers } from '../../support/pcap/analyze-buffer';

const { events } = buildScenario({ ...defaultScenario(), noiseFrames: 0 });
const few = events.slice(0, 5);
const pcap = encodeCapture(few, { format: 'pcap-us', link: 'ethernet' });
const pcapng = encodeCapture(few, { format: 'pcapng', link: 'ethernet' });
// pcapng layout from the writer: SHB 28 bytes, IDB 32 bytes (with if_tsresol), then EPBs.
const SHB = 28;
const IDB = 32;
const FIRST_EPB = SHB + IDB;

function patched(buf: Buffer, edit: (b: Buffer) => void): Buffer {
  const copy = Buffer.from(buf);
  edit(copy);
  return copy;
}

async function formatError(buf: Buffer, chunkBytes = 4096): Promise<CaptureFormatError> {
  const err: unknown = await analyzeBuffers([buf], {}, chunkBytes).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CaptureFormatError);
  return err as CaptureFormatError;
}

describe('capture format errors name the offset and the fault', () => {
  const firstRecordLength = 16 + pcap.readUInt32LE(24 + 8);
  const epbLength = pcapng.readUInt32LE(FIRST_EPB + 4);
  const cases: { name: string; buf: Buffer; reason: RegExp; offset: number }[] = [
    { name: 'empty file', buf: Buffer.alloc(0), reason: /truncated file/, offset: 0 },
    { name: 'bad magic', buf: Buffer.from('GIF89a, not a capture at all......'), reason: /bad magic/, offset: 0 },
    { name: 'pcap global header cut short', buf: pcap.subarray(0, 20), reason: /truncated file/, offset: 0 },
    { name: 'pcap version 3', buf: patched(pcap, (b) => b.writeUInt16LE(3, 4)), reason: /unsupported pcap version 3/, offset: 4 },
    { name: 'pcap absurd captured length', buf: patched(pcap, (b) => b.writeUInt32LE(0x7fffffff, 24 + 8)), reason: /absurd/, offset: 24 },
    // snaplen 0, captured > original and an out-of-range fraction are read as libpcap does: see leniency.test.ts.
    {
      name: 'pcapng block length not a multiple of 4',
      buf: patched(pcapng, (b) => b.writeUInt32LE(epbLength + 2, FIRST_EPB + 4)),
      reason: /not a multiple of 4/,
      offset: FIRST_EPB + 4,
    },
    {
      name: 'pcapng block length below 12',
      buf: patched(pcapng, (b) => b.writeUInt32LE(8, FIRST_EPB + 4)),
      reason: /at least 12/,
      offset: FIRST_EPB + 4,
    },
    {
      name: 'pcapng block runs past end of file',
      buf: pcapng.subarray(0, FIRST_EPB + 20),
      reason: /runs past the end of file/,
      offset: FIRST_EPB,
    },
    {
      name: 'pcapng trailer mismatch',
      buf: patched(pcapng, (b) => b.writeUInt32LE(epbLength + 4, FIRST_EPB + epbLength - 4)),
      reason: /trailer length/,
      offset: FIRST_EPB + epbLength - 4,
    },
    {
      name: 'pcapng bad byte-order magic',
      buf: patched(pcapng, (b) => b.writeUInt32LE(0x12345678, 8)),
      reason: /byte-order magic/,
      offset: 8,
    },
    {
      name: 'pcapng absurd block length',
      buf: patched(pcapng, (b) => b.writeUInt32LE(0x40000000, FIRST_EPB + 4)),
      reason: /absurd/,
      offset: FIRST_EPB + 4,
    },
    {
      name: 'pcapng unknown interface',
      buf: patched(pcapng, (b) => b.writeUInt32LE(7, FIRST_EPB + 8)),
      reason: /interface 7/,
      offset: FIRST_EPB + 8,
    },
    {
      name: 'pcapng captured length past block',
      buf: patched(pcapng, (b) => b.writeUInt32LE(epbLength, FIRST_EPB + 20)),
      reason: /runs past its block/,
      offset: FIRST_EPB + 20,
    },
    { name: 'pcapng truncated inside the header', buf: pcapng.subarray(0, FIRST_EPB + 6), reason: /truncated block/, offset: FIRST_EPB },
  ];
  it.each(cases)('$name', async (c) => {
    for (const chunkBytes of [7, 4096]) {
      const err = await formatError(c.buf, chunkBytes);
      expect(err.reason).toMatch(c.reason);
      expect(err.offset).toBe(c.offset);
      expect(err.file).toBe('capture-0');
      expect(err.message).toContain(`byte offset ${c.offset}`);
    }
  });

  it('pcap truncated record points at the start of the cut record', async () => {
    const cut = pcap.subarray(0, 24 + firstRecordLength + 5);
    const err = await formatError(cut);
    expect(err.reason).toMatch(/truncated record/);
    expect(err.offset).toBe(24 + firstRecordLength);
  });

  it('skips unknown pcapng blocks', async () => {
    const custom = Buffer.alloc(16);
    custom.writeUInt32LE(0x00000bad, 0);
    custom.writeUInt32LE(16, 4);
    custom.writeUInt32LE(16, 12);
    const withCustom = Buffer.concat([pcapng.subarray(0, FIRST_EPB), custom, pcapng.subarray(FIRST_EPB)]);
    expect((await analyzeBuffers([withCustom])).packets).toBe(few.length);
  });
});
