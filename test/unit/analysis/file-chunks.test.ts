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

describe('file chunks read into two reused buffers, the next read ahead', () => {
  it('gives exactly the bytes of [start, end), in chunks of at most the chunk size', async () => {
    const path = join(dir, 'bytes.bin');
    const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) % 256));
    writeFileSync(path, bytes);
    const seen: Buffer[] = [];
    // A buffer is its memory and offset: small allocUnsafe buffers share one pooled ArrayBuffer.
    const buffers: { memory: ArrayBufferLike; byteOffset: number }[] = [];
    for await (const chunk of fileChunks(path, 10, 995, 64)) {
      expect(chunk.length).toBeLessThanOrEqual(64);
      seen.push(Buffer.from(chunk)); // copied: the chunk is only valid until the next one
      if (!buffers.some((b) => b.memory === chunk.buffer && b.byteOffset === chunk.byteOffset))
        buffers.push({ memory: chunk.buffer, byteOffset: chunk.byteOffset });
    }
    expect(Buffer.concat(seen)).toEqual(bytes.subarray(10, 995));
    expect(buffers.length).toBe(2);
    const empty: Buffer[] = [];
    for await (const chunk of fileChunks(path, 500, 500)) empty.push(chunk);
    expect(empty).toEqual([]);
  });

  it('leaves the chunk the caller holds untouched while the next one is read ahead', async () => {
    const path = join(dir, 'ahead.bin');
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 13) % 251));
    writeFileSync(path, bytes);
    let offset = 0;
    for await (const chunk of fileChunks(path, 0, Infinity, 100)) {
      const copy = Buffer.from(chunk);
      // Time for the read-ahead to land: it must have gone to the other buffer.
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(chunk).toEqual(copy);
      expect(chunk).toEqual(bytes.subarray(offset, offset + chunk.length));
      offset += chunk.length;
    }
    expect(offset).toBe(bytes.length);
  });

  it('closes the file when the caller stops early, with a read still in flight', async () => {
    const path = join(dir, 'early.bin');
    writeFileSync(path, Buffer.alloc(10_000, 7));
    let chunks = 0;
    for await (const chunk of fileChunks(path, 0, Infinity, 100)) {
      expect(chunk[0]).toBe(7);
      if (++chunks === 3) break;
    }
    expect(chunks).toBe(3);
    // The generator's finally ran: a second pass opens and reads the file from the start again.
    const again: Buffer[] = [];
    for await (const chunk of fileChunks(path, 9_950)) again.push(Buffer.from(chunk));
    expect(Buffer.concat(again)).toEqual(Buffer.alloc(50, 7));
  });

  it('gives a failing read to the caller as the error of its next()', async () => {
    const chunks = fileChunks(dir); // a directory: open succeeds, read fails with EISDIR
    await expect(chunks.next()).rejects.toThrow(/EISDIR/);
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
