import { FileHandle, open } from 'node:fs/promises';

/** Bytes per read: large enough that per-read overhead vanishes, small enough to keep memory constant. */
export const FILE_CHUNK_BYTES = 1024 * 1024;

/**
 * A file's bytes [start, end) as chunks read into two reused buffers: each chunk is valid only until the next is
 * asked for (the readers copy what they carry over). A fresh buffer per chunk, as fs streams give, costs more in
 * page faults and garbage collection than the parse itself. The next chunk is read (on libuv's thread pool) while
 * the caller parses this one, so the copy out of the page cache overlaps the parse instead of adding to it.
 */
export async function* fileChunks(path: string, start = 0, end = Infinity, chunkBytes = FILE_CHUNK_BYTES): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  const buffers = [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)];
  let position = start;
  // Only one read is ever in flight, and never into the buffer the caller holds.
  let pending: Promise<Buffer> | null = position < end ? readAhead(handle, buffers[0], position, end) : null;
  let turn = 0;
  try {
    while (pending !== null) {
      const chunk = await pending;
      if (chunk.length === 0) return;
      position += chunk.length;
      turn ^= 1;
      pending = position < end ? readAhead(handle, buffers[turn], position, end) : null;
      yield chunk;
    }
  } finally {
    // A read still running when the caller stops early finishes before the handle closes.
    if (pending !== null) await pending.catch(() => undefined);
    await handle.close();
  }
}

// Marked handled at once: a failed read-ahead must not count as an unhandled rejection while the caller is still
// parsing; the error still reaches the caller when it awaits the read (or is dropped when it stopped early).
function readAhead(handle: FileHandle, buffer: Buffer, position: number, end: number): Promise<Buffer> {
  const read = readAt(handle, buffer, position, end);
  read.catch(() => undefined);
  return read;
}

async function readAt(handle: FileHandle, buffer: Buffer, position: number, end: number): Promise<Buffer> {
  const want = Math.min(buffer.length, end - position);
  const { bytesRead } = await handle.read(buffer, 0, want, position);
  return bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
}
