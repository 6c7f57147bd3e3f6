import { CaptureFormatError } from '../capture-format.error';
import { PCAP_MAGIC_MICROS, PCAP_MAGIC_NANOS, PcapReader } from './pcap-reader';
import { PCAPNG_SHB_TYPE, PcapngReader } from './pcapng-reader';
import { CaptureReader, RawPacketSink } from './raw-packet-sink';

const PCAP_MAGICS = new Set([PCAP_MAGIC_MICROS, PCAP_MAGIC_NANOS]);

// Picks pcap or pcapng from the first four bytes, so callers need not know the file type.
export class AnyCaptureReader implements CaptureReader {
  private inner: CaptureReader | null = null;
  private head: Buffer = Buffer.alloc(0);

  constructor(
    private readonly file: string,
    private readonly sink: RawPacketSink,
  ) {}

  get warnings(): string[] {
    return this.inner === null ? [] : this.inner.warnings;
  }

  push(chunk: Buffer): void {
    if (this.inner !== null) {
      this.inner.push(chunk);
      return;
    }
    const buf = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
    if (buf.length < 4) {
      this.head = Buffer.from(buf);
      return;
    }
    this.inner = this.pick(buf);
    this.head = Buffer.alloc(0);
    this.inner.push(buf);
  }

  end(): void {
    if (this.inner === null) {
      throw new CaptureFormatError(`truncated file: ${this.head.length} bytes, too short for any capture header`, 0, this.file);
    }
    this.inner.end();
  }

  private pick(buf: Buffer): CaptureReader {
    if (buf.readUInt32LE(0) === PCAPNG_SHB_TYPE) return new PcapngReader(this.file, this.sink);
    if (PCAP_MAGICS.has(buf.readUInt32LE(0)) || PCAP_MAGICS.has(buf.readUInt32BE(0))) return new PcapReader(this.file, this.sink);
    throw new CaptureFormatError(`bad magic 0x${buf.readUInt32BE(0).toString(16).padStart(8, '0')}, neither pcap nor pcapng`, 0, this.file);
  }
}
