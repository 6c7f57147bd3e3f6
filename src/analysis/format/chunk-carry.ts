// Joins the unparsed tail of the previous chunks with the next one, so records may span chunk boundaries.
// The tail is only re-joined once enough bytes have arrived for what the reader waits for: a record claiming
// many megabytes costs one copy when it is complete, not one per chunk (linear time whatever the lengths say).
export class ChunkCarry {
  private parts: Buffer[] = [];
  private partBytes = 0;
  private needBytes = 0;

  /** Absolute file offset of byte 0 of the buffer returned by join(). */
  baseOffset = 0;

  /** The bytes to parse now, or null while fewer than the reader needs have arrived. */
  join(chunk: Buffer): Buffer | null {
    if (this.partBytes === 0) return chunk;
    this.parts.push(chunk);
    this.partBytes += chunk.length;
    if (this.partBytes < this.needBytes) return null;
    const joined = Buffer.concat(this.parts, this.partBytes);
    this.parts = [];
    this.partBytes = 0;
    return joined;
  }

  /** Keep buf[from..] for the next chunk (copied, so the big chunk can be freed); `needBytes` from there on. */
  keep(buf: Buffer, from: number, needBytes: number): void {
    this.baseOffset += from;
    this.parts = from >= buf.length ? [] : [Buffer.from(buf.subarray(from))];
    this.partBytes = this.parts.length === 0 ? 0 : buf.length - from;
    this.needBytes = needBytes;
  }

  get pendingBytes(): number {
    return this.partBytes;
  }
}
