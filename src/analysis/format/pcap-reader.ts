import { u16be, u16le, u32be, u32le } from './bytes';
import { CaptureFormatError } from '../capture-format.error';
import { CarryParser, ChunkCarry } from './chunk-carry';
import { RecordWarnings } from './record-warnings';
import { CaptureReader, MAX_CAPTURED_BYTES, RawPacketSink } from './raw-packet-sink';

const GLOBAL_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;

export const PCAP_MAGIC_MICROS = 0xa1b2c3d4;
export const PCAP_MAGIC_NANOS = 0xa1b23c4d;

// Classic libpcap files, µs (a1b2c3d4) or ns (a1b23c4d) timestamps, either byte order.
// Written by hand rather than with pcap-parser: that package re-allocates per record, cannot read ns files and
// stops silently on a truncated record, where we must report the offset.
export class PcapReader implements CaptureReader, CarryParser {
  private readonly carry = new ChunkCarry();
  private readonly odd = new RecordWarnings();
  private headerRead = false;
  private littleEndian = true;
  private nsPerFraction = 1000;
  private fractionLimit = 1_000_000;
  private linkType = 0;
  private snaplen = 0;
  /** What libpcap keeps of a record: the header's snaplen, or the cap when that is 0 or above it. */
  private keptBytes = MAX_CAPTURED_BYTES;
  need = GLOBAL_HEADER_BYTES;

  constructor(
    private readonly file: string,
    private readonly sink: RawPacketSink,
  ) {}

  get warnings(): string[] {
    return this.odd.lines(this.file);
  }

  push(chunk: Buffer): void {
    this.carry.feed(chunk, this);
  }

  parse(buf: Buffer, base: number): number {
    let pos = 0;
    if (!this.headerRead) {
      if (buf.length < GLOBAL_HEADER_BYTES) return 0;
      this.readGlobalHeader(buf);
      pos = GLOBAL_HEADER_BYTES;
    }
    const le = this.littleEndian;
    const kept = this.keptBytes;
    let need = RECORD_HEADER_BYTES;
    while (buf.length - pos >= RECORD_HEADER_BYTES) {
      let tsSec = le ? u32le(buf, pos) : u32be(buf, pos);
      let fraction = le ? u32le(buf, pos + 4) : u32be(buf, pos + 4);
      const captured = le ? u32le(buf, pos + 8) : u32be(buf, pos + 8);
      const wire = le ? u32le(buf, pos + 12) : u32be(buf, pos + 12);
      // Checked before waiting for the body: a length no link type can have is an error at once (libpcap too).
      if (captured > MAX_CAPTURED_BYTES) {
        throw this.error(`record captured length ${captured} is absurd (snaplen ${this.snaplen}, cap ${MAX_CAPTURED_BYTES})`, base + pos);
      }
      const end = pos + RECORD_HEADER_BYTES + captured;
      if (end > buf.length) {
        need = RECORD_HEADER_BYTES + captured;
        break;
      }
      if (captured > wire || captured > kept || fraction >= this.fractionLimit) this.noteOdd(captured, wire, fraction, base + pos);
      if (fraction >= this.fractionLimit) {
        tsSec += Math.floor(fraction / this.fractionLimit);
        fraction %= this.fractionLimit;
      }
      const used = captured > kept ? kept : captured;
      this.sink.onPacket(
        this.linkType,
        buf,
        pos + RECORD_HEADER_BYTES,
        used,
        wire < used ? used : wire,
        tsSec,
        fraction * this.nsPerFraction,
      );
      pos = end;
    }
    this.need = need;
    return pos;
  }

  end(): void {
    const left = this.carry.pendingBytes;
    if (!this.headerRead) {
      throw this.error(`truncated file: ${left} bytes, a pcap global header needs ${GLOBAL_HEADER_BYTES}`, 0);
    }
    if (left > 0) {
      throw this.error(`truncated record: ${left} bytes left at end of file`, this.carry.baseOffset);
    }
  }

  // Records libpcap and Wireshark read although they break the format's rules.
  private noteOdd(captured: number, wire: number, fraction: number, offset: number): void {
    if (captured > wire) this.odd.note('captured length above the original length, the original length raised to it', offset);
    if (captured > this.keptBytes) this.odd.note(`captured length above the snaplen ${this.keptBytes}, cut to the snaplen`, offset);
    if (fraction >= this.fractionLimit)
      this.odd.note(`timestamp fraction of ${this.fractionLimit} or more, carried into the seconds`, offset);
  }

  private readGlobalHeader(buf: Buffer): void {
    const magicLE = u32le(buf, 0);
    const magicBE = u32be(buf, 0);
    let magic: number;
    if (magicLE === PCAP_MAGIC_MICROS || magicLE === PCAP_MAGIC_NANOS) {
      this.littleEndian = true;
      magic = magicLE;
    } else if (magicBE === PCAP_MAGIC_MICROS || magicBE === PCAP_MAGIC_NANOS) {
      this.littleEndian = false;
      magic = magicBE;
    } else {
      throw this.error(`bad magic 0x${magicBE.toString(16).padStart(8, '0')}, not a pcap file`, 0);
    }
    if (magic === PCAP_MAGIC_NANOS) {
      this.nsPerFraction = 1;
      this.fractionLimit = 1_000_000_000;
    }
    const le = this.littleEndian;
    const major = le ? u16le(buf, 4) : u16be(buf, 4);
    if (major !== 2) throw this.error(`unsupported pcap version ${major}`, 4);
    this.snaplen = le ? u32le(buf, 16) : u32be(buf, 16);
    // libpcap reads files with snaplen 0 or above its cap, taking the cap (pcap_adjust_snapshot).
    if (this.snaplen === 0 || this.snaplen > MAX_CAPTURED_BYTES) {
      this.odd.note(`file header snaplen ${this.snaplen}, taken as ${MAX_CAPTURED_BYTES}`, 16);
      this.keptBytes = MAX_CAPTURED_BYTES;
    } else {
      this.keptBytes = this.snaplen;
    }
    // The upper 16 bits carry FCS information, not the link type.
    this.linkType = (le ? u32le(buf, 20) : u32be(buf, 20)) & 0xffff;
    this.headerRead = true;
  }

  private error(reason: string, offset: number): CaptureFormatError {
    return new CaptureFormatError(reason, offset, this.file);
  }
}
