import { DecodedPacket, emptyPacket } from './core/decoded-packet';
import { PacketDecoder } from './decode/packet-decoder';
import { AnyCaptureReader } from './format/capture-reader';
import { RawPacketSink } from './format/raw-packet-sink';

/** One capture to analyze: a name for messages and its bytes, in order (a file stream, an HTTP upload...). */
export interface CaptureInput {
  name: string;
  chunks: AsyncIterable<Buffer>;
}

// Turns one capture's chunks into batches of decoded packets; a batch is what one chunk held, so memory is
// bounded by the chunk size. Records are reused from batch to batch.
export class PacketSource implements RawPacketSink {
  readonly records: DecodedPacket[] = [];
  count = 0;
  index = 0;
  private readonly reader: AnyCaptureReader;
  private readonly iterator: AsyncIterator<Buffer>;
  private exhausted = false;

  constructor(
    readonly input: CaptureInput,
    private readonly decoder: PacketDecoder,
    private readonly sourceIndex: number,
    private readonly onBytes: (bytes: number) => void = () => undefined,
  ) {
    this.reader = new AnyCaptureReader(input.name, this);
    this.iterator = input.chunks[Symbol.asyncIterator]();
  }

  get warnings(): string[] {
    return this.reader.warnings;
  }

  onPacket(linkType: number, frame: Buffer, at: number, captured: number, wire: number, tsSec: number, tsNs: number): void {
    let record = this.records[this.count];
    if (record === undefined) {
      record = emptyPacket();
      this.records.push(record);
    }
    this.decoder.decode(linkType, frame, at, captured, wire, tsSec, tsNs, record);
    record.sourceIndex = this.sourceIndex;
    this.count += 1;
  }

  /** Reads chunks until at least one packet is decoded; false at the end of the capture. */
  async fill(): Promise<boolean> {
    this.count = 0;
    this.index = 0;
    while (this.count === 0) {
      if (this.exhausted) return false;
      const next = await this.iterator.next();
      if (next.done === true) {
        this.exhausted = true;
        this.reader.end();
        return this.count > 0;
      }
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      this.onBytes(chunk.length);
      this.reader.push(chunk);
    }
    return true;
  }

  /** Releases the underlying stream early (on error). */
  async close(): Promise<void> {
    if (!this.exhausted) await this.iterator.return?.();
  }
}
