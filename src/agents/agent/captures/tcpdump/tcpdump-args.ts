import { assertName, checkInterfaceName } from '../../../../common/names';

export interface TcpdumpOptions {
  interface: string;
  /** Absolute path of the pcap file to write. */
  file: string;
  /** Bytes kept per packet; 128 holds Ethernet + IP + TCP headers with options. */
  snaplenBytes: number;
  /** Built by capture-filter.ts, never taken from a request. */
  bpf?: string;
  /** Nanosecond timestamps: pcap magic a1b23c4d instead of a1b2c3d4. */
  nanosecond: boolean;
  /** Upper bound of the file size; enforced through a packet count, see maxPacketsFor. */
  maxSizeBytes: number;
  /** Kernel capture buffer; larger means fewer drops during the migration burst. */
  bufferKiB?: number;
}

export const PCAP_FILE_HEADER_BYTES = 24;
export const PCAP_RECORD_HEADER_BYTES = 16;
export const SNAPLEN_MIN_BYTES = 64;
export const SNAPLEN_MAX_BYTES = 262_144;

/**
 * tcpdump's -C/-W rotate and overwrite the start of the capture, which holds the
 * pre-copy. A packet count cannot do that: every record is at most
 * header + snaplen bytes, so this many packets never exceed the size budget.
 */
export function maxPacketsFor(maxSizeBytes: number, snaplenBytes: number): number {
  const packets = Math.floor((maxSizeBytes - PCAP_FILE_HEADER_BYTES) / (PCAP_RECORD_HEADER_BYTES + snaplenBytes));
  if (packets < 1) throw new RangeError(`a ${maxSizeBytes}-byte capture cannot hold one ${snaplenBytes}-byte packet`);
  return packets;
}

export function buildTcpdumpArgs(options: TcpdumpOptions): string[] {
  assertName(checkInterfaceName, options.interface);
  if (!options.file.startsWith('/')) throw new RangeError(`capture file "${options.file}" must be an absolute path`);
  const snaplen = options.snaplenBytes;
  if (!Number.isInteger(snaplen) || snaplen < SNAPLEN_MIN_BYTES || snaplen > SNAPLEN_MAX_BYTES) {
    throw new RangeError(`snaplen ${snaplen} is outside ${SNAPLEN_MIN_BYTES}..${SNAPLEN_MAX_BYTES}`);
  }
  const args = [
    '-i',
    options.interface,
    '-n', // no name resolution: it would stall the capture start and leak DNS queries
    '-s',
    String(snaplen),
    '-U', // flush each packet so a stopped or killed capture leaves a complete file
    // Without it TPACKET_V3 holds packets in a ring block for up to the 1 s read timeout,
    // and SIGINT drops that block: the last ~second (the switchover) would be missing.
    '--immediate-mode',
    '-w',
    options.file,
    '-c',
    String(maxPacketsFor(options.maxSizeBytes, snaplen)),
  ];
  if (options.bufferKiB !== undefined) args.push('-B', String(options.bufferKiB));
  if (options.nanosecond) args.push('--time-stamp-precision=nano');
  if (options.bpf) args.push('--', options.bpf);
  return args;
}
