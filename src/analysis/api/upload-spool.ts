import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** The request body grew past the budget: the client is told 413 and the spool file is gone. */
export class UploadTooLargeError extends Error {
  override readonly name = 'UploadTooLargeError';

  constructor(readonly maxBytes: number) {
    super(`the upload is over the budget of ${maxBytes} bytes`);
  }
}

export interface SpooledUpload {
  path: string;
  bytes: number;
}

// Writes a request body to a 0600 file as it arrives, without parsing it: the event loop only moves buffers to
// the file system, whatever the body holds. Past maxBytes the body is unpiped (not destroyed, so the 413 can
// still be sent on its socket) and the file is removed.
export async function spoolUpload(body: Readable, dir: string, maxBytes: number): Promise<SpooledUpload> {
  const path = join(dir, `${randomUUID()}.upload`);
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        body.unpipe(limit);
        done(new UploadTooLargeError(maxBytes));
        return;
      }
      done(null, chunk);
    },
  });
  const finished = pipeline(limit, createWriteStream(path, { mode: 0o600, highWaterMark: 1024 * 1024 }));
  const aborted = new Promise<never>((_, reject) => {
    body.once('aborted', () => reject(new Error('the client aborted the upload')));
    body.once('error', reject);
  });
  body.pipe(limit);
  try {
    await Promise.race([finished, aborted]);
    return { path, bytes };
  } catch (err) {
    limit.destroy();
    await rm(path, { force: true });
    throw err;
  }
}
