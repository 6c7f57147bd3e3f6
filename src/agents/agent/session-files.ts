import { chmod, mkdir, stat, unlink } from 'node:fs/promises';
import { posix } from 'node:path';
import type { CaptureCounters } from '../protocol';
import type { TcpdumpStats } from './captures/tcpdump/tcpdump-stats';

// Small helpers shared by the capture and probe sessions of the agent.

export { isAgentId as isSessionId } from './ids';

export async function sessionFile(dataDir: string, kind: 'captures' | 'probes', id: string): Promise<string> {
  const dir = posix.join(dataDir, kind);
  // Captures hold tenant traffic: the agent's alone (an earlier version made this directory 0755).
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  return posix.join(dir, `${id}.pcap`);
}

export async function fileBytes(path: string): Promise<number | null> {
  return stat(path).then(
    (s) => s.size,
    () => null,
  );
}

export async function removeFile(path: string): Promise<void> {
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}

export function toCounters(stats: TcpdumpStats): CaptureCounters {
  return {
    packetsCaptured: stats.packetsCaptured ?? null,
    packetsReceivedByFilter: stats.packetsReceivedByFilter ?? null,
    packetsDroppedByKernel: stats.packetsDroppedByKernel ?? null,
  };
}

export const MIB = 1024 * 1024;
