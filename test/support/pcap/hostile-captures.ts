import { closeSync, openSync, writeSync } from 'node:fs';
import { etherTypeOf, linkHeader, TCP, tcpPacket } from './frames';

// The hostile and odd captures of issue 15, built byte by byte so tests and benches reproduce each case.

/** Classic pcap header, little-endian µs, Ethernet. */
export function pcapGlobalHeader(snaplen: number): Buffer {
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0);
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeUInt32LE(snaplen >>> 0, 16);
  h.writeUInt32LE(1, 20);
  return h;
}

/**
 * snaplen 0xFFFFFFFF and a first record claiming about 4 GB, then `totalBytes` of filler: a reader that trusts
 * the length waits for the bytes and re-joins the growing tail on every chunk.
 */
export function hugeRecordPcap(totalBytes: number): Buffer {
  const buf = Buffer.alloc(Math.max(40, totalBytes));
  pcapGlobalHeader(0xffffffff).copy(buf, 0);
  buf.writeUInt32LE(1_763_780_000, 24);
  buf.writeUInt32LE(0xfffffff0, 24 + 8);
  buf.writeUInt32LE(0xfffffff0, 24 + 12);
  return buf;
}

/** A minimal little-endian pcapng: SHB (28 bytes), IDB (20 bytes, Ethernet, snaplen 0). */
export function pcapngPreamble(): Buffer {
  const shb = Buffer.alloc(28);
  shb.writeUInt32LE(0x0a0d0d0a, 0);
  shb.writeUInt32LE(28, 4);
  shb.writeUInt32LE(0x1a2b3c4d, 8);
  shb.writeUInt16LE(1, 12);
  shb.writeBigInt64LE(-1n, 16);
  shb.writeUInt32LE(28, 24);
  const idb = Buffer.alloc(20);
  idb.writeUInt32LE(1, 0);
  idb.writeUInt32LE(20, 4);
  idb.writeUInt16LE(1, 8);
  idb.writeUInt32LE(0, 12);
  idb.writeUInt32LE(20, 16);
  return Buffer.concat([shb, idb]);
}

/** An EPB whose body holds `dataBytes` bytes but whose captured-length field says `capturedField`. */
export function enhancedPacketBlock(capturedField: number, dataBytes: number, wireBytes = capturedField): Buffer {
  const padded = Math.ceil(dataBytes / 4) * 4;
  const length = 32 + padded;
  const b = Buffer.alloc(length);
  b.writeUInt32LE(6, 0);
  b.writeUInt32LE(length, 4);
  b.writeUInt32LE(0, 8);
  b.writeUInt32LE(0x00062a1b, 12);
  b.writeUInt32LE(0, 16);
  b.writeUInt32LE(capturedField >>> 0, 20);
  b.writeUInt32LE(wireBytes >>> 0, 24);
  b.writeUInt32LE(length, length - 4);
  return b;
}

/** pcapng with one EPB of 60 real bytes whose captured length claims `capturedField` (2^31, 2^32 − 4, …). */
export function pcapngWithCapturedLength(capturedField: number): Buffer {
  return Buffer.concat([pcapngPreamble(), enhancedPacketBlock(capturedField, 60, capturedField)]);
}

export interface SynFloodTruth {
  packets: number;
  bytesWritten: number;
}

/**
 * `count` TCP SYNs to the migration port 49152, each from its own (address, port): one flow per packet, the
 * worst case for per-flow state. Streamed to disk like the bulk writer.
 */
export function writeSynFloodPcap(path: string, count: number, startSec = 1_763_780_000): SynFloodTruth {
  const packet = tcpPacket({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 1024, dstPort: 49152, flags: TCP.SYN, payloadBytes: 0 });
  const header = linkHeader('ethernet', etherTypeOf(packet));
  const frame = Buffer.concat([header, packet.headers]);
  const record = Buffer.alloc(16 + frame.length);
  record.writeUInt32LE(frame.length, 8);
  record.writeUInt32LE(frame.length, 12);
  frame.copy(record, 16);
  const SRC_IP = 16 + 14 + 12;
  const SRC_PORT = 16 + 14 + 20;
  const fd = openSync(path, 'w');
  const out = Buffer.alloc(4 * 1024 * 1024);
  let used = 0;
  let bytesWritten = 0;
  const flush = (): void => {
    writeSync(fd, out, 0, used);
    bytesWritten += used;
    used = 0;
  };
  try {
    writeSync(fd, pcapGlobalHeader(262_144));
    bytesWritten += 24;
    for (let i = 0; i < count; i++) {
      if (used + record.length > out.length) flush();
      record.copy(out, used);
      const tUs = i * 10;
      out.writeUInt32LE(startSec + Math.floor(tUs / 1e6), used);
      out.writeUInt32LE(tUs % 1e6, used + 4);
      // 10.x.y.z from the high bits, ports 1024..65023 from the low ones: every SYN is a new 4-tuple.
      const host = Math.floor(i / 64_000);
      out[used + SRC_IP + 1] = (host >> 16) & 0xff;
      out[used + SRC_IP + 2] = (host >> 8) & 0xff;
      out[used + SRC_IP + 3] = host & 0xff;
      out.writeUInt16BE(1024 + (i % 64_000), used + SRC_PORT);
      used += record.length;
    }
    flush();
    return { packets: count, bytesWritten };
  } finally {
    closeSync(fd);
  }
}
