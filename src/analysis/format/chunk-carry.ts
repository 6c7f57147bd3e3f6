// Joins the unparsed tail of the previous chunk with the next one, so records may span chunk boundaries.
export class ChunkCarry {
  private tail: Buffer | null = null;

  /** Absolute file offset of byte 0 of the buffer returned by join(). */
  baseOffset = 0;

  join(chunk: Buffer): Buffer {
    if (this.tail === null || this.tail.length === 0) return chunk;
    return Buffer.concat([this.tail, chunk]);
  }

  /** Keep buf[from..] for the next chunk; copies, so the big chunk can be freed. */
  keep(buf: Buffer, from: number): void {
    this.baseOffset += from;
    this.tail = from >= buf.length ? null : Buffer.from(buf.subarray(from));
  }

  get pendingBytes(): number {
    return this.tail === null ? 0 : this.tail.length;
  }
}
