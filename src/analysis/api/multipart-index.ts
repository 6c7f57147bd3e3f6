import { open, type FileHandle } from 'node:fs/promises';

/** One uploaded file inside a spooled multipart body: its bytes are [start, end) of the spool file. */
export interface MultipartFilePart {
  field: string;
  filename: string;
  start: number;
  end: number;
}

export interface MultipartIndex {
  files: MultipartFilePart[];
  fields: Record<string, string>;
}

export interface MultipartLimits {
  maxFiles: number;
  maxFields: number;
  maxFieldBytes: number;
}

/** A multipart body that is not well formed, or over the part limits: the client's fault (400). */
export class MultipartError extends Error {
  override readonly name = 'MultipartError';
}

const SCAN_CHUNK_BYTES = 1024 * 1024;
const MAX_HEADER_BYTES = 16 * 1024;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The boundary of a multipart/form-data Content-Type, or undefined when the type is something else. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (contentType === undefined || !/^multipart\/form-data\s*;/i.test(contentType)) return undefined;
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}

// Finds the parts of a multipart/form-data body already on disk without copying it: boundaries are found with
// Buffer.indexOf (native) over large reads, so the event loop does one short step per MiB. Files are handed on
// as byte ranges of the spool file; small text fields are read whole.
export async function indexMultipart(path: string, boundary: string, limits: MultipartLimits): Promise<MultipartIndex> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const delimiter = Buffer.from(`\r\n--${boundary}`);
    const starts = await findDelimiters(fh, size, delimiter, limits.maxFiles + limits.maxFields + 1);
    const index: MultipartIndex = { files: [], fields: {} };
    for (let i = 0; i + 1 < starts.length; i += 1) {
      const afterDelimiter = starts[i] + delimiter.length;
      const nextDelimiter = starts[i + 1];
      const head = await readAt(fh, afterDelimiter, Math.min(MAX_HEADER_BYTES, nextDelimiter - afterDelimiter));
      if (!head.subarray(0, 2).equals(CRLF)) throw new MultipartError(`malformed multipart body at byte ${afterDelimiter}`);
      const headerEnd = head.indexOf(HEADER_END, 0);
      if (headerEnd < 0) throw new MultipartError(`part headers at byte ${afterDelimiter} do not end within ${MAX_HEADER_BYTES} bytes`);
      const disposition = parseDisposition(head.toString('utf8', 2, headerEnd));
      const start = afterDelimiter + headerEnd + HEADER_END.length;
      if (disposition.filename !== undefined) {
        if (index.files.length >= limits.maxFiles) throw new MultipartError(`at most ${limits.maxFiles} files per upload`);
        index.files.push({ field: disposition.name, filename: disposition.filename, start, end: nextDelimiter });
      } else {
        if (Object.keys(index.fields).length >= limits.maxFields) throw new MultipartError(`at most ${limits.maxFields} form fields`);
        if (nextDelimiter - start > limits.maxFieldBytes) {
          throw new MultipartError(`form field "${disposition.name}" is over ${limits.maxFieldBytes} bytes`);
        }
        index.fields[disposition.name] = (await readAt(fh, start, nextDelimiter - start)).toString('utf8');
      }
    }
    const last = starts[starts.length - 1];
    const closing = await readAt(fh, last + delimiter.length, 2);
    if (closing.toString('latin1') !== '--') throw new MultipartError('the multipart body is incomplete: no closing boundary');
    return index;
  } finally {
    await fh.close();
  }
}

/** Offsets of every "\r\n--boundary"; the body's first boundary has no CRLF before it, so it counts as at -2. */
async function findDelimiters(fh: FileHandle, size: number, delimiter: Buffer, maxParts: number): Promise<number[]> {
  const opening = await readAt(fh, 0, delimiter.length - 2);
  if (!opening.equals(delimiter.subarray(2))) throw new MultipartError('the body does not start with its multipart boundary');
  const starts = [-2];
  const buffer = Buffer.allocUnsafe(SCAN_CHUNK_BYTES + delimiter.length - 1);
  for (let position = 0; position < size; position += SCAN_CHUNK_BYTES) {
    const { bytesRead } = await fh.read(buffer, 0, buffer.length, position);
    const view = buffer.subarray(0, bytesRead);
    // A match starting past the chunk is found by the next read, which starts there.
    for (let at = view.indexOf(delimiter); at >= 0 && at < SCAN_CHUNK_BYTES; at = view.indexOf(delimiter, at + 1)) {
      starts.push(position + at);
      if (starts.length > maxParts + 1) throw new MultipartError(`too many parts in the multipart body (at most ${maxParts})`);
    }
  }
  if (starts.length < 2) throw new MultipartError('the multipart body is incomplete: no closing boundary');
  return starts;
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(Math.max(0, length));
  const { bytesRead } = await fh.read(buffer, 0, buffer.length, position);
  return buffer.subarray(0, bytesRead);
}

function parseDisposition(headers: string): { name: string; filename?: string } {
  const line = headers.split('\r\n').find((h) => /^content-disposition\s*:/i.test(h));
  if (line === undefined || !/:\s*form-data\s*(;|$)/i.test(line)) throw new MultipartError('a part has no Content-Disposition: form-data');
  const name = /;\s*name="([^"]*)"/i.exec(line)?.[1];
  if (name === undefined) throw new MultipartError('a part has no name');
  const filename = /;\s*filename="([^"]*)"/i.exec(line)?.[1];
  return filename === undefined ? { name } : { name, filename };
}
