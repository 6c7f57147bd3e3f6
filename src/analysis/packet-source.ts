import { CaptureAnalyzer } from './core/capture-analyzer';
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
// bounded by the chunk size. Records are reused from batch to batch. With `direct`, the only capture of an
// analysis, each packet goes to the analyzer as it is decoded, through one record: nothing to merge, and the
// hot loop touches one object instead of a chunk's worth.
export class PacketSource implements RawPacketSink {
  readonly records: DecodedPacket[] = [];
  count = 0;
  index = 0;
  private readonly reader: AnyCaptureReader;
  private readonly iterator: AsyncIterator<Buffer>;
  private exhausted = false;
  private readonly single = emptyPacket();

  constructor(
    readonly input: CaptureInput,
    private readonly decoder: PacketDecoder,
    private readonly sourceIndex: number,
    private readonly onBytes: (bytes: number) => void = () => undefined,
    private readonly direct: CaptureAnalyzer | null = null,
  ) {
    this.reader = new AnyCaptureReader(input.name, this);
    this.iterator = input.chunks[Symbol.asyncIterator]();
  }

  get warnings(): string[] {
    return this.reader.warnings;
  }

  onPacket(linkType: number, frame: Buffer, at: number, captured: number, wire: number, tsSec: number, tsNs: number): void {
    if (this.direct !== null) {
      this.decoder.decode(linkType, frame, at, captured, wire, tsSec, tsNs, this.single);
      this.direct.ingest(this.single);
      return;
    }
    let record = this.records[this.count];
    if (record === undefined) {
      record = emptyPacket();
      this.records.push(record);
    }
    this.decoder.decode(linkType, frame, at, captured, wire, tsSec, tsNs, record);
    record.sourceIndex = this.sourceIndex;
    this.count += 1;
  }

  /** Feeds the whole capture to the `direct` analyzer. */
  async drain(): Promise<void> {
    for (;;) {
      const next = await this.iterator.next();
      if (next.done === true) break;
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      this.onBytes(chunk.length);
      this.reader.push(chunk);
    }
    this.exhausted = true;
    this.reader.end();
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
