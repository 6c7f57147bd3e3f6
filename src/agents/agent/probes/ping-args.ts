import { isIP } from 'node:net';
import { assertName, checkInterfaceName } from '../../../common/names';
import type { PingSummary } from '../../agent-api';

export interface PingOptions {
  target: string;
  intervalMs: number;
  interface: string;
  payloadBytes?: number;
  /** ping's own deadline (-w), so a forgotten probe ends by itself. */
  deadlineSec: number;
}

export const PROBE_INTERVAL_MIN_MS = 1;
export const PROBE_INTERVAL_MAX_MS = 1000;

/** iputils ping; intervals under 2 ms need root, which the agent is. */
export function buildPingArgs(options: PingOptions): string[] {
  if (isIP(options.target) === 0) throw new RangeError(`probe target "${options.target}" is not an IP address`);
  assertName(checkInterfaceName, options.interface);
  const { intervalMs } = options;
  if (!Number.isInteger(intervalMs) || intervalMs < PROBE_INTERVAL_MIN_MS || intervalMs > PROBE_INTERVAL_MAX_MS) {
    throw new RangeError(`probe interval ${intervalMs} ms is outside ${PROBE_INTERVAL_MIN_MS}..${PROBE_INTERVAL_MAX_MS}`);
  }
  const args = [
    '-n',
    '-q', // per-reply lines are not needed: the prober's pcap holds every request and reply
    '-i', (intervalMs / 1000).toFixed(3),
    '-I', options.interface,
    '-w', String(options.deadlineSec),
  ];
  if (options.payloadBytes !== undefined) args.push('-s', String(options.payloadBytes));
  args.push(options.target);
  return args;
}

const SUMMARY =
  /(\d+) packets transmitted, (\d+) received(?:, \+(\d+) duplicates)?(?:, \+(\d+) errors)?, ([\d.]+)% packet loss/;

/** ping's closing line, e.g. "200 packets transmitted, 195 received, 2.5% packet loss, time 2012ms". */
export function parsePingSummary(stdout: string): PingSummary | null {
  const match = SUMMARY.exec(stdout);
  if (!match) return null;
  return {
    transmitted: Number(match[1]),
    received: Number(match[2]),
    errors: Number(match[4] ?? 0),
    lossPercent: Number(match[5]),
  };
}
