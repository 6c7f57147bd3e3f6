import { isIP } from 'node:net';
import { assertName, checkInterfaceName } from '../../../common/names';
import type { PingSummary } from '../../protocol';

// The prober sends ICMP echoes with fping, not iputils ping: iputils waits for
// the next send in a jiffy-based SO_RCVTIMEO, so on this kernel `ping -i 0.01`
// sends every ~16 ms (63/s) and `-i 0.02` every ~24 ms, and below 10 ms it
// busy-spins a whole core. fping keeps 10 ms and 1 ms periods (100/s, 1000/s)
// at a few ms of CPU per second.

export interface PingOptions {
  target: string;
  intervalMs: number;
  interface: string;
  /** ICMP data bytes (fping -b). */
  payloadBytes?: number;
  /** fping stops by itself after this long (as a packet count), so a forgotten probe ends. */
  maxDurationSec: number;
}

export const PROBE_INTERVAL_MIN_MS = 1;
export const PROBE_INTERVAL_MAX_MS = 1000;
export const PINGER = 'fping';

export function buildPingArgs(options: PingOptions): string[] {
  if (isIP(options.target) === 0) throw new RangeError(`probe target "${options.target}" is not an IP address`);
  assertName(checkInterfaceName, options.interface);
  const { intervalMs } = options;
  if (!Number.isInteger(intervalMs) || intervalMs < PROBE_INTERVAL_MIN_MS || intervalMs > PROBE_INTERVAL_MAX_MS) {
    throw new RangeError(`probe interval ${intervalMs} ms is outside ${PROBE_INTERVAL_MIN_MS}..${PROBE_INTERVAL_MAX_MS}`);
  }
  const count = Math.ceil((options.maxDurationSec * 1000) / intervalMs);
  const args = [
    '-q', // per-reply lines are not needed: the prober's pcap holds every request and reply
    // With one target both the global (-i) and the per-target (-p) spacing are the period.
    '-i',
    String(intervalMs),
    '-p',
    String(intervalMs),
    '-c',
    String(count),
    '-I',
    options.interface,
  ];
  if (options.payloadBytes !== undefined) args.push('-b', String(options.payloadBytes));
  args.push(options.target);
  return args;
}

const SUMMARY = /: xmt\/rcv\/%loss = (\d+)\/(\d+)\/(\d+(?:\.\d+)?)%/g;

/** fping's closing line on stderr, e.g. "203.0.113.10 : xmt/rcv/%loss = 200/198/1%, min/avg/max = ...". */
export function parsePingSummary(stderr: string): PingSummary | null {
  const match = [...stderr.matchAll(SUMMARY)].at(-1);
  if (!match) return null;
  return { transmitted: Number(match[1]), received: Number(match[2]), errors: 0, lossPct: Number(match[3]) };
}
