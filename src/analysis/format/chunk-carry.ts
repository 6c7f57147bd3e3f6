/** A reader's parse step: consumes whole records from buf (file offset base), returns the bytes consumed and
 * leaves in `need` how many bytes the record it stopped at needs. */
export interface CarryParser {
  need: number;
  parse(buf: Buffer, base: number): number;
}

// Feeds chunks to a reader so records may span chunk boundaries, in linear time: only the record that straddles
// a boundary is assembled (its tail plus the bytes it still needs), the rest is parsed in place in the chunk, and
// a record claiming many megabytes is joined once when complete, not once per chunk.
export class ChunkCarry {
  private parts: Buffer[] = [];
  private partBytes = 0;

  /** Absolute file offset of the first byte not consumed yet. */
  baseOffset = 0;

  feed(chunk: Buffer, parser: CarryParser): void {
    let off = 0;
    while (this.partBytes > 0) {
      const take = Math.max(1, parser.need - this.partBytes);
      if (chunk.length - off < take) {
        // Copied: the caller may reuse its chunk.
        if (chunk.length > off) this.parts.push(Buffer.from(chunk.subarray(off)));
        this.partBytes += chunk.length - off;
        return;
      }
      const joined = Buffer.concat([...this.parts, chunk.subarray(off, off + take)]);
      off += take;
      const used = parser.parse(joined, this.baseOffset);
      this.baseOffset += used;
      this.parts = used >= joined.length ? [] : [joined.subarray(used)];
      this.partBytes = joined.length - used;
    }
    const rest = off === 0 ? chunk : chunk.subarray(off);
    const used = parser.parse(rest, this.baseOffset);
    this.baseOffset += used;
    if (used < rest.length) {
      this.parts = [Buffer.from(rest.subarray(used))];
      this.partBytes = rest.length - used;
    }
  }

  get pendingBytes(): number {
    return this.partBytes;
  }
}
