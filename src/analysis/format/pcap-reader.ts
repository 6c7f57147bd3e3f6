import { CaptureFormatError } from '../capture-format.error';
import { ChunkCarry } from './chunk-carry';
import { CaptureReader, MAX_CAPTURED_BYTES, RawPacketSink } from './raw-packet-sink';

const GLOBAL_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;

export const PCAP_MAGIC_MICROS = 0xa1b2c3d4;
export const PCAP_MAGIC_NANOS = 0xa1b23c4d;

// Classic libpcap files, µs (a1b2c3d4) or ns (a1b23c4d) timestamps, either byte order.
// Written by hand rather than with pcap-parser: that package re-allocates per record, cannot read ns files and
// stops silently on a truncated record, where we must report the offset.
export class PcapReader implements CaptureReader {
  readonly warnings: string[] = [];
  private readonly carry = new ChunkCarry();
  private headerRead = false;
  private littleEndian = true;
  private nsPerFraction = 1000;
  private fractionLimit = 1_000_000;
  private linkType = 0;
  private snaplen = 0;

  constructor(
    private readonly file: string,
    private readonly sink: RawPacketSink,
  ) {}

  push(chunk: Buffer): void {
    const buf = this.carry.join(chunk);
    let pos = 0;
    if (!this.headerRead) {
      if (buf.length < GLOBAL_HEADER_BYTES) {
        this.carry.keep(buf, 0);
        return;
      }
      this.readGlobalHeader(buf);
      pos = GLOBAL_HEADER_BYTES;
    }
    const le = this.littleEndian;
    const base = this.carry.baseOffset;
    const maxCaptured = Math.max(this.snaplen, MAX_CAPTURED_BYTES);
    while (buf.length - pos >= RECORD_HEADER_BYTES) {
      const tsSec = le ? buf.readUInt32LE(pos) : buf.readUInt32BE(pos);
      const fraction = le ? buf.readUInt32LE(pos + 4) : buf.readUInt32BE(pos + 4);
      const captured = le ? buf.readUInt32LE(pos + 8) : buf.readUInt32BE(pos + 8);
      const wire = le ? buf.readUInt32LE(pos + 12) : buf.readUInt32BE(pos + 12);
      if (captured > maxCaptured) {
        throw this.error(`record captured length ${captured} is absurd (snaplen ${this.snaplen})`, base + pos);
      }
      if (captured > wire) {
        throw this.error(`record captured length ${captured} exceeds original length ${wire}`, base + pos);
      }
      if (fraction >= this.fractionLimit) {
        throw this.error(`record timestamp fraction ${fraction} is out of range`, base + pos);
      }
      const end = pos + RECORD_HEADER_BYTES + captured;
      if (end > buf.length) break;
      this.sink.onPacket(this.linkType, buf, pos + RECORD_HEADER_BYTES, captured, wire, tsSec, fraction * this.nsPerFraction);
      pos = end;
    }
    this.carry.keep(buf, pos);
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

  private readGlobalHeader(buf: Buffer): void {
    const magicLE = buf.readUInt32LE(0);
    const magicBE = buf.readUInt32BE(0);
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
    const major = le ? buf.readUInt16LE(4) : buf.readUInt16BE(4);
    if (major !== 2) throw this.error(`unsupported pcap version ${major}`, 4);
    this.snaplen = le ? buf.readUInt32LE(16) : buf.readUInt32BE(16);
    if (this.snaplen === 0) throw this.error('snaplen 0 in global header', 16);
    // The upper 16 bits carry FCS information, not the link type.
    this.linkType = (le ? buf.readUInt32LE(20) : buf.readUInt32BE(20)) & 0xffff;
    this.headerRead = true;
  }

  private error(reason: string, offset: number): CaptureFormatError {
    return new CaptureFormatError(reason, offset, this.file);
  }
}
