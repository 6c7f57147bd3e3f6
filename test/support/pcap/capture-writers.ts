// Writers for the three container formats, byte order selectable. Timestamps are bigint nanoseconds so the
// ground truth never goes through floats.

export interface FrameRecord {
  tsNs: bigint;
  /** Frame bytes up to the snap length (headers; zero-filled past them). */
  captured: Buffer;
  wireBytes: number;
  /** pcapng interface index. */
  iface: number;
}

export interface PcapOptions {
  nanos: boolean;
  bigEndian?: boolean;
  linkType: number;
  snaplen: number;
}

export function pcapHeader(o: PcapOptions): Buffer {
  const h = Buffer.alloc(24);
  const w32 = (v: number, at: number): number => (o.bigEndian ? h.writeUInt32BE(v, at) : h.writeUInt32LE(v, at));
  const w16 = (v: number, at: number): number => (o.bigEndian ? h.writeUInt16BE(v, at) : h.writeUInt16LE(v, at));
  w32(o.nanos ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  w16(2, 4);
  w16(4, 6);
  w32(o.snaplen, 16);
  w32(o.linkType, 20);
  return h;
}

export function pcapRecord(o: PcapOptions, f: FrameRecord): Buffer {
  const r = Buffer.alloc(16 + f.captured.length);
  const sec = Number(f.tsNs / 1_000_000_000n);
  const ns = Number(f.tsNs % 1_000_000_000n);
  const frac = o.nanos ? ns : Math.floor(ns / 1000);
  const w32 = (v: number, at: number): number => (o.bigEndian ? r.writeUInt32BE(v, at) : r.writeUInt32LE(v, at));
  w32(sec, 0);
  w32(frac, 4);
  w32(f.captured.length, 8);
  w32(f.wireBytes, 12);
  f.captured.copy(r, 16);
  return r;
}

export interface PcapngInterface {
  linkType: number;
  snaplen: number;
  /** if_tsresol byte: 6 = µs (default), 9 = ns, 0x80|b = 2^-b. */
  tsresol?: number;
  /** if_tsoffset in seconds, added by readers to every timestamp. */
  tsOffsetSec?: number;
}

export interface PcapngOptions {
  bigEndian?: boolean;
  interfaces: PcapngInterface[];
  /** Write Simple Packet Blocks (no timestamp) instead of EPBs. */
  simple?: boolean;
}

class BlockBuilder {
  private readonly parts: Buffer[] = [];
  constructor(private readonly bigEndian: boolean) {}
  u16(v: number): this {
    const b = Buffer.alloc(2);
    if (this.bigEndian) b.writeUInt16BE(v);
    else b.writeUInt16LE(v);
    this.parts.push(b);
    return this;
  }
  u32(v: number): this {
    const b = Buffer.alloc(4);
    if (this.bigEndian) b.writeUInt32BE(v >>> 0);
    else b.writeUInt32LE(v >>> 0);
    this.parts.push(b);
    return this;
  }
  i64(v: bigint): this {
    const b = Buffer.alloc(8);
    if (this.bigEndian) b.writeBigInt64BE(v);
    else b.writeBigInt64LE(v);
    this.parts.push(b);
    return this;
  }
  bytes(b: Buffer): this {
    this.parts.push(b, Buffer.alloc((4 - (b.length % 4)) % 4));
    return this;
  }
  block(type: number): Buffer {
    const body = Buffer.concat(this.parts);
    const total = body.length + 12;
    return Buffer.concat([
      new BlockBuilder(this.bigEndian).u32(type).u32(total).finish(),
      body,
      new BlockBuilder(this.bigEndian).u32(total).finish(),
    ]);
  }
  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export function pcapngHeader(o: PcapngOptions): Buffer {
  const be = o.bigEndian === true;
  const shb = new BlockBuilder(be).u32(0x1a2b3c4d).u16(1).u16(0).u32(0xffffffff).u32(0xffffffff).block(0x0a0d0d0a);
  const idbs = o.interfaces.map((i) => {
    const b = new BlockBuilder(be).u16(i.linkType).u16(0).u32(i.snaplen);
    if (i.tsresol !== undefined)
      b.u16(9)
        .u16(1)
        .bytes(Buffer.from([i.tsresol]));
    if (i.tsOffsetSec !== undefined) b.u16(14).u16(8).i64(BigInt(i.tsOffsetSec));
    b.u16(0).u16(0);
    return b.block(1);
  });
  return Buffer.concat([shb, ...idbs]);
}

function unitsPerSec(tsresol: number | undefined): bigint {
  const r = tsresol ?? 6;
  return r & 0x80 ? 1n << BigInt(r & 0x7f) : 10n ** BigInt(r);
}

export function pcapngRecord(o: PcapngOptions, f: FrameRecord): Buffer {
  const be = o.bigEndian === true;
  if (o.simple === true) return new BlockBuilder(be).u32(f.wireBytes).bytes(f.captured).block(3);
  const iface = o.interfaces[f.iface];
  const local = f.tsNs - BigInt(iface.tsOffsetSec ?? 0) * 1_000_000_000n;
  const units = (local * unitsPerSec(iface.tsresol)) / 1_000_000_000n;
  return new BlockBuilder(be)
    .u32(f.iface)
    .u32(Number(units >> 32n))
    .u32(Number(units & 0xffffffffn))
    .u32(f.captured.length)
    .u32(f.wireBytes)
    .bytes(f.captured)
    .block(6);
}
