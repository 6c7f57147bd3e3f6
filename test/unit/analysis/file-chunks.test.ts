import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCaptures, analyzeStreams } from '../../../src/analysis/analyze-captures';
import { u16be, u16le, u32be, u32le } from '../../../src/analysis/format/bytes';
import { fileChunks } from '../../../src/analysis/format/file-chunks';
import { encodeCapture } from '../../support/pcap/encode-capture';
import { buildScenario, defaultScenario } from '../../support/pcap/scenario';

const dir = mkdtempSync(join(tmpdir(), 'livemig-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('file chunks read into one reused buffer', () => {
  it('gives exactly the bytes of [start, end), in chunks of at most the chunk size', async () => {
    const path = join(dir, 'bytes.bin');
    const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) % 256));
    writeFileSync(path, bytes);
    const seen: Buffer[] = [];
    let buffers = new Set<ArrayBuffer>();
    for await (const chunk of fileChunks(path, 10, 995, 64)) {
      expect(chunk.length).toBeLessThanOrEqual(64);
      seen.push(Buffer.from(chunk)); // copied: the chunk is only valid until the next one
      buffers = buffers.add(chunk.buffer as ArrayBuffer);
    }
    expect(Buffer.concat(seen)).toEqual(bytes.subarray(10, 995));
    expect(buffers.size).toBe(1);
    const empty: Buffer[] = [];
    for await (const chunk of fileChunks(path, 500, 500)) empty.push(chunk);
    expect(empty).toEqual([]);
  });

  it('analyzes a capture to the same report whatever the chunk size (records straddle every boundary)', async () => {
    const { events, truth } = buildScenario(defaultScenario());
    const path = join(dir, 'scenario.pcapng');
    writeFileSync(path, encodeCapture(events, { format: 'pcapng', link: 'ethernet' }));
    const whole = await analyzeCaptures([path]);
    expect(whole.packets).toBe(truth.packets);
    for (const chunkBytes of [13, 100, 4096]) {
      const report = await analyzeStreams([{ name: path, stream: fileChunks(path, 0, Infinity, chunkBytes) }]);
      expect(report).toEqual(whole);
    }
  });
});

describe('byte readers', () => {
  it('read unsigned integers in both byte orders, the full 32-bit range included', () => {
    const b = Buffer.from([0xff, 0xfe, 0xfd, 0xfc, 0x01, 0x02, 0x03, 0x04]);
    for (let p = 0; p <= 4; p++) {
      expect(u32le(b, p)).toBe(b.readUInt32LE(p));
      expect(u32be(b, p)).toBe(b.readUInt32BE(p));
      expect(u16le(b, p)).toBe(b.readUInt16LE(p));
      expect(u16be(b, p)).toBe(b.readUInt16BE(p));
    }
    expect(u32le(b, 0)).toBe(0xfcfdfeff);
  });
});
