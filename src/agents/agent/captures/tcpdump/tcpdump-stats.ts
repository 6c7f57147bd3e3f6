// tcpdump prints its counters on stderr when it exits:
//   "2301 packets captured" / "2310 packets received by filter" / "0 packets dropped by kernel"

export interface TcpdumpStats {
  packetsCaptured: number | undefined;
  packetsReceivedByFilter: number | undefined;
  packetsDroppedByKernel: number | undefined;
  packetsDroppedByInterface: number | undefined;
}

function lastCount(stderr: string, label: string): number | undefined {
  const matches = [...stderr.matchAll(new RegExp(`^(\\d+) packets? ${label}$`, 'gm'))];
  const last = matches.at(-1);
  return last ? Number(last[1]) : undefined;
}

export function parseTcpdumpStats(stderr: string): TcpdumpStats {
  return {
    packetsCaptured: lastCount(stderr, 'captured'),
    packetsReceivedByFilter: lastCount(stderr, 'received by filter'),
    packetsDroppedByKernel: lastCount(stderr, 'dropped by kernel'),
    packetsDroppedByInterface: lastCount(stderr, 'dropped by interface'),
  };
}

/** tcpdump's first stderr line once the filter is attached; packets are captured from then on. */
export const TCPDUMP_LISTENING = /^tcpdump: listening on /m;

/** The reason tcpdump gives when it refuses to start, e.g. "tcpdump: lmt0: No such device exists". */
export function tcpdumpErrorReason(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('('));
  return lines.find((l) => l.startsWith('tcpdump: ')) ?? lines.at(-1) ?? 'tcpdump exited without a message';
}
