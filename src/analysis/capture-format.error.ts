// A capture that cannot be read as pcap/pcapng. The REST layer maps it to HTTP 422, the CLI to exit code 2.
export class CaptureFormatError extends Error {
  override readonly name = 'CaptureFormatError';

  constructor(
    /** What was wrong, in words an analyst can act on. */
    readonly reason: string,
    /** Byte offset in the file where the bad structure starts. */
    readonly offset: number,
    /** File name (or upload name) the bytes came from. */
    readonly file: string,
  ) {
    super(`${file}: ${reason} at byte offset ${offset}`);
  }
}
