import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './exec';
import { libvirtdPid } from './libvirtd';
import { instancesPath } from './paths';
import type { LabHost } from './topology';

// libvirt only trusts real shared filesystems (NFS...) and this kernel has no
// NFS, so a lab migration with a disk needs VIR_MIGRATE_UNSAFE. We pass it only
// after proving the storage is shared: a marker written as one host sees the
// filesystem and read back as the other host sees it.

async function daemonPid(host: LabHost): Promise<number> {
  const pid = await libvirtdPid(host);
  if (pid === undefined) throw new Error(`libvirtd is not running on ${host.name}`);
  return pid;
}

export async function verifySharedStorage(writer: LabHost, reader: LabHost): Promise<boolean> {
  const marker = `.shared-${randomUUID()}`;
  const path = join(instancesPath(), marker);
  const token = `${writer.name}:${randomUUID()}`;
  try {
    await run(['nsenter', '-t', String(await daemonPid(writer)), '-m', '--', 'tee', path], { input: token });
    const seen = await run(['nsenter', '-t', String(await daemonPid(reader)), '-m', '--', 'cat', path], { allowFailure: true });
    return seen.exitCode === 0 && seen.stdout === token;
  } finally {
    rmSync(path, { force: true });
  }
}
