// Where a container reader (pcap, pcapng) hands each captured frame. The frame bytes are only valid during the call.
export interface RawPacketSink {
  onPacket(
    linkType: number,
    frame: Buffer,
    frameOffset: number,
    capturedBytes: number,
    wireBytes: number,
    tsSec: number,
    tsNs: number,
  ): void;
}

// A push parser: feed it chunks in order, then call end() to detect a truncated tail.
export interface CaptureReader {
  push(chunk: Buffer): void;
  end(): void;
  /** Warnings about data that was read but could not be placed exactly (e.g. blocks without timestamps). */
  readonly warnings: string[];
}

// Captured frames longer than this are treated as corruption: no link type snaps more (libpcap's own cap is 256 KiB).
export const MAX_CAPTURED_BYTES = 262_144;
// Seconds beyond this (year ~36800) can only come from a corrupt header.
export const MAX_TIMESTAMP_SEC = 2 ** 40;
