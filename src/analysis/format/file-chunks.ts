import { open } from 'node:fs/promises';

/** Bytes per read: large enough that per-read overhead vanishes, small enough to keep memory constant. */
export const FILE_CHUNK_BYTES = 1024 * 1024;

/**
 * A file's bytes [start, end) as chunks read into one reused buffer: each chunk is valid only until the next is
 * asked for (the readers copy what they carry over). A fresh buffer per chunk, as fs streams give, costs more in
 * page faults and garbage collection than the parse itself.
 */
export async function* fileChunks(path: string, start = 0, end = Infinity, chunkBytes = FILE_CHUNK_BYTES): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    let position = start;
    while (position < end) {
      const want = Math.min(chunkBytes, end - position);
      const { bytesRead } = await handle.read(buffer, 0, want, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
