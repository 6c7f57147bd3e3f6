import { sleep } from './exec';
import { hostByName } from './current-topology';
import { virsh } from './libvirtd';
import { verifySharedStorage } from './shared-storage';

// A plain `virsh migrate` between lab hosts, for tests and the demo. The
// controller's migration engine drives libvirt itself and does not use this.

export interface VirshMigrateResult {
  elapsedMs: number;
  unsafe: boolean;
  /** `virsh domjobinfo --completed` on the destination, as key/value text. */
  completedJob: Record<string, string>;
}

export async function virshMigrate(name: string, from: string, to: string, extraArgs: readonly string[] = []): Promise<VirshMigrateResult> {
  const src = hostByName(from);
  const dst = hostByName(to);
  const xml = (await virsh(src, ['dumpxml', name])).stdout;
  const hasDisk = /<disk\b/.test(xml);
  let unsafe = false;
  if (hasDisk) {
    if (!(await verifySharedStorage(src, dst)))
      throw new Error(`storage is not shared between ${src.name} and ${dst.name}; refusing an unsafe migration`);
    unsafe = true;
  }
  const started = Date.now();
  await virsh(
    src,
    ['migrate', '--live', '--p2p', '--persistent', '--undefinesource', ...(unsafe ? ['--unsafe'] : []), ...extraArgs, name, dst.libvirtUri],
    {
      timeoutMs: 300_000,
    },
  );
  const elapsedMs = Date.now() - started;
  return { elapsedMs, unsafe, completedJob: await completedJobInfo(dst.name, name) };
}

export async function completedJobInfo(host: string, name: string): Promise<Record<string, string>> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = await virsh(hostByName(host), ['domjobinfo', '--completed', name], { allowFailure: true });
    if (r.exitCode === 0) return parseKeyValues(r.stdout);
    await sleep(100);
  }
  return {};
}

export function parseKeyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}
