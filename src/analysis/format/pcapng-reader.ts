import { u16be, u16le, u32be, u32le } from './bytes';
import { CaptureFormatError } from '../capture-format.error';
import { CarryParser, ChunkCarry } from './chunk-carry';
import { RecordWarnings } from './record-warnings';
import { splitTimestamp, TimestampParts, unitsPerSecond } from './pcapng-timestamp';
import { CaptureReader, MAX_CAPTURED_BYTES, MAX_TIMESTAMP_SEC, RawPacketSink } from './raw-packet-sink';

export const PCAPNG_SHB_TYPE = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const IDB_TYPE = 0x00000001;
const OBSOLETE_PACKET_TYPE = 0x00000002;
const SPB_TYPE = 0x00000003;
const EPB_TYPE = 0x00000006;
const OPT_END = 0;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;
// Wireshark refuses blocks above 16 MiB; anything bigger here is a corrupt length field.
const MAX_BLOCK_BYTES = 16 * 1024 * 1024;

interface CaptureInterface {
  linkType: number;
  snaplen: number;
  unitsPerSec: number;
  offsetSec: number;
}

// Block types of the pcapng registry that carry nothing the metrics need; any other type is skipped with a warning.
const KNOWN_SKIPPED_TYPES = new Set([0x00000004, 0x00000005, 0x00000007, 0x00000008, 0x00000009, 0x0000000a, 0x00000bad, 0x40000bad]);

/** Rounds up to a multiple of 4 in plain number arithmetic: exact for any 32-bit length (no `& ~3` overflow at 2^31). */
const pad4 = (n: number): number => n + ((4 - (n % 4)) % 4);

// pcapng (SHB, IDB, EPB, SPB, obsolete PB); every other block type is skipped. Sections may switch byte order.
export class PcapngReader implements CaptureReader, CarryParser {
  private readonly notes: string[] = [];
  private readonly odd = new RecordWarnings();
  private readonly carry = new ChunkCarry();
  need = 12;
  private inSection = false;
  private le = true;
  private interfaces: CaptureInterface[] = [];
  private readonly ts: TimestampParts = { sec: 0, ns: 0 };
  private lastSec = 0;
  private lastNs = 0;
  private simplePackets = 0;

  constructor(
    private readonly file: string,
    private readonly sink: RawPacketSink,
  ) {}

  get warnings(): string[] {
    return [...this.notes, ...this.odd.lines(this.file)];
  }

  push(chunk: Buffer): void {
    this.carry.feed(chunk, this);
  }

  parse(buf: Buffer, base: number): number {
    let pos = 0;
    let need = 12;
    while (buf.length - pos >= 12) {
      const isSection = u32le(buf, pos) === PCAPNG_SHB_TYPE; // palindrome: same in both byte orders
      if (isSection) {
        const orderLE = u32le(buf, pos + 8);
        if (orderLE === BYTE_ORDER_MAGIC) this.le = true;
        else if (u32be(buf, pos + 8) === BYTE_ORDER_MAGIC) this.le = false;
        else throw this.error('section header has a bad byte-order magic', base + pos + 8);
      } else if (!this.inSection) {
        throw this.error('bad magic: a pcapng file must start with a section header block', base + pos);
      }
      const le = this.le;
      const type = le ? u32le(buf, pos) : u32be(buf, pos);
      const length = le ? u32le(buf, pos + 4) : u32be(buf, pos + 4);
      if (length < 12 || length % 4 !== 0) {
        throw this.error(`block length ${length} is not a multiple of 4 of at least 12`, base + pos + 4);
      }
      if (length > MAX_BLOCK_BYTES) throw this.error(`block length ${length} is absurd`, base + pos + 4);
      if (buf.length - pos < length) {
        need = length;
        break;
      }
      const trailer = le ? u32le(buf, pos + length - 4) : u32be(buf, pos + length - 4);
      if (trailer !== length) {
        throw this.error(`block trailer length ${trailer} does not match header length ${length}`, base + pos + length - 4);
      }
      if (isSection) this.readSection(buf, pos, length, base);
      else if (type === EPB_TYPE) this.readEnhanced(buf, pos, length, base);
      else if (type === SPB_TYPE) this.readSimple(buf, pos, length, base);
      else if (type === IDB_TYPE) this.readInterface(buf, pos, length, base);
      else if (type === OBSOLETE_PACKET_TYPE) this.readObsolete(buf, pos, length, base);
      else if (!KNOWN_SKIPPED_TYPES.has(type)) this.odd.note(`block of unknown type 0x${type.toString(16)}, skipped`, base + pos);
      pos += length;
    }
    this.need = need;
    return pos;
  }

  end(): void {
    const left = this.carry.pendingBytes;
    if (this.simplePackets > 0) {
      this.notes.push(
        `${this.file}: ${this.simplePackets} simple packet blocks carry no timestamp; each was given the previous packet's time`,
      );
    }
    if (left === 0) {
      if (!this.inSection) throw this.error('truncated file: empty, no section header block', 0);
      return;
    }
    throw this.error(
      left < 12 ? `truncated block: ${left} bytes left at end of file` : `block runs past the end of file (${left} bytes left)`,
      this.carry.baseOffset,
    );
  }

  private readSection(buf: Buffer, pos: number, length: number, base: number): void {
    if (length < 28) throw this.error(`section header block length ${length} is below 28`, base + pos + 4);
    const major = this.le ? u16le(buf, pos + 12) : u16be(buf, pos + 12);
    if (major !== 1) throw this.error(`unsupported pcapng version ${major}`, base + pos + 12);
    this.inSection = true;
    this.interfaces = []; // interface ids are per section
  }

  private readInterface(buf: Buffer, pos: number, length: number, base: number): void {
    if (length < 20) throw this.error(`interface description block length ${length} is below 20`, base + pos + 4);
    const le = this.le;
    const iface: CaptureInterface = {
      linkType: le ? u16le(buf, pos + 8) : u16be(buf, pos + 8),
      snaplen: le ? u32le(buf, pos + 12) : u32be(buf, pos + 12),
      unitsPerSec: 1e6,
      offsetSec: 0,
    };
    const optionsEnd = pos + length - 4;
    let opt = pos + 16;
    while (opt + 4 <= optionsEnd) {
      const code = le ? u16le(buf, opt) : u16be(buf, opt);
      const len = le ? u16le(buf, opt + 2) : u16be(buf, opt + 2);
      if (code === OPT_END) break;
      const value = opt + 4;
      if (value + len > optionsEnd) throw this.error(`interface option ${code} runs past its block`, base + opt);
      if (code === IF_TSRESOL && len >= 1) {
        const units = unitsPerSecond(buf[value]);
        if (units === null) throw this.error(`if_tsresol ${buf[value]} is not supported`, base + value);
        iface.unitsPerSec = units;
      } else if (code === IF_TSOFFSET && len >= 8) {
        const offset = Number(le ? buf.readBigInt64LE(value) : buf.readBigInt64BE(value));
        if (Math.abs(offset) > MAX_TIMESTAMP_SEC) throw this.error(`if_tsoffset ${offset} is absurd`, base + value);
        iface.offsetSec = offset;
      }
      opt = value + pad4(len);
    }
    this.interfaces.push(iface);
  }

  private readEnhanced(buf: Buffer, pos: number, length: number, base: number): void {
    if (length < 32) throw this.error(`enhanced packet block length ${length} is below 32`, base + pos + 4);
    const le = this.le;
    const ifaceId = le ? u32le(buf, pos + 8) : u32be(buf, pos + 8);
    this.readTimedPacket(buf, pos, length, base, ifaceId);
  }

  private readObsolete(buf: Buffer, pos: number, length: number, base: number): void {
    if (length < 32) throw this.error(`packet block length ${length} is below 32`, base + pos + 4);
    const ifaceId = this.le ? u16le(buf, pos + 8) : u16be(buf, pos + 8);
    this.readTimedPacket(buf, pos, length, base, ifaceId);
  }

  // EPB and the obsolete PB share the layout from the timestamp on.
  private readTimedPacket(buf: Buffer, pos: number, length: number, base: number, ifaceId: number): void {
    const le = this.le;
    const iface = this.interfaces[ifaceId];
    if (iface === undefined) {
      throw this.error(`packet refers to interface ${ifaceId}, but the section has ${this.interfaces.length}`, base + pos + 8);
    }
    const high = le ? u32le(buf, pos + 12) : u32be(buf, pos + 12);
    const low = le ? u32le(buf, pos + 16) : u32be(buf, pos + 16);
    const captured = le ? u32le(buf, pos + 20) : u32be(buf, pos + 20);
    const wire = le ? u32le(buf, pos + 24) : u32be(buf, pos + 24);
    if (captured > length - 32 || 28 + pad4(captured) + 4 > length) {
      throw this.error(`captured length ${captured} runs past its block of ${length} bytes`, base + pos + 20);
    }
    if (captured > wire) this.odd.note('captured length above the original length, the original length raised to it', base + pos);
    if (iface.snaplen > 0 && captured > iface.snaplen)
      this.odd.note(`captured length above the interface snaplen ${iface.snaplen}`, base + pos);
    splitTimestamp(high, low, iface.unitsPerSec, this.ts);
    const sec = this.ts.sec + iface.offsetSec;
    if (sec < 0 || sec > MAX_TIMESTAMP_SEC) throw this.error(`timestamp ${sec} s is out of range`, base + pos + 12);
    this.lastSec = sec;
    this.lastNs = this.ts.ns;
    this.sink.onPacket(iface.linkType, buf, pos + 28, captured, wire < captured ? captured : wire, sec, this.ts.ns);
  }

  private readSimple(buf: Buffer, pos: number, length: number, base: number): void {
    if (length < 16) throw this.error(`simple packet block length ${length} is below 16`, base + pos + 4);
    const iface = this.interfaces[0];
    if (iface === undefined) throw this.error('simple packet block before any interface description', base + pos);
    const wire = this.le ? u32le(buf, pos + 8) : u32be(buf, pos + 8);
    let captured = Math.min(wire, length - 16);
    if (iface.snaplen > 0) captured = Math.min(captured, iface.snaplen);
    if (captured > MAX_CAPTURED_BYTES) throw this.error(`simple packet length ${captured} is absurd`, base + pos + 8);
    this.simplePackets += 1;
    this.sink.onPacket(iface.linkType, buf, pos + 12, captured, wire, this.lastSec, this.lastNs);
  }

  private error(reason: string, offset: number): CaptureFormatError {
    return new CaptureFormatError(reason, offset, this.file);
  }
}
