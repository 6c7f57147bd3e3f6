import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { execa } from 'execa';
import { execIn, netnsPids, run, sleep, waitFor } from './exec';
import { LIBVIRT_QEMU_GROUP, LIBVIRT_QEMU_PASSWD, libvirtdConf, qemuConf, withLine } from './libvirt-config';
import { assetPath, capabilityCacheDir, hostPaths, instancesPath, labDir } from './paths';
import type { LabHost } from './topology';

// One libvirtd per lab host: in the host's network namespace, in a private
// mount namespace with the host's own /etc/libvirt, /var and /run, under the
// lm-hostd subreaper.

const LIBVIRTD = '/usr/sbin/libvirtd';
const CAPS_SUBDIR = join('cache', 'libvirt', 'qemu', 'capabilities');

/** Compiles the wrapper once per source version into the lab dir. */
export async function ensureHostWrapper(): Promise<string> {
  const source = readFileSync(assetPath('lm-hostd.c'));
  const tag = createHash('sha256').update(source).digest('hex').slice(0, 12);
  const binary = join(labDir(), 'bin', `lm-hostd-${tag}`);
  if (existsSync(binary)) return binary;
  mkdirSync(dirname(binary), { recursive: true });
  await run(['cc', '-O2', '-Wall', '-o', binary, assetPath('lm-hostd.c')]);
  return binary;
}

/** Writes the host's configuration and directories; keeps what a running guest needs. */
export function prepareHostDirs(host: LabHost): void {
  const p = hostPaths(host.name);
  for (const d of [
    instancesPath(),
    join(p.etcLibvirt, 'qemu'),
    join(p.var, 'lib', 'libvirt', 'qemu'),
    join(p.var, CAPS_SUBDIR),
    p.qemuLogDir,
    join(p.var, 'tmp'),
    join(p.run, 'libvirt'),
  ]) {
    mkdirSync(d, { recursive: true });
  }
  writeFileSync(join(p.etcLibvirt, 'libvirtd.conf'), libvirtdConf(host));
  writeFileSync(join(p.etcLibvirt, 'qemu.conf'), qemuConf(host));
  writeFileSync(p.passwd, withLine(readFileSync('/etc/passwd', 'utf8'), LIBVIRT_QEMU_PASSWD));
  writeFileSync(p.group, withLine(readFileSync('/etc/group', 'utf8'), LIBVIRT_QEMU_GROUP));
  const sharedInVar = sharedStorageMountPoint(host);
  if (sharedInVar) mkdirSync(sharedInVar, { recursive: true });
  const cache = capabilityCacheDir();
  if (existsSync(cache)) cpSync(cache, join(p.var, CAPS_SUBDIR), { recursive: true });
}

/** When shared storage lives under /var it must be bound back in after the host's own /var. */
function sharedStorageMountPoint(host: LabHost): string | undefined {
  const rel = relative('/var', instancesPath());
  if (rel.startsWith('..')) return undefined;
  return join(hostPaths(host.name).var, rel);
}

function bindArgs(host: LabHost): string[] {
  const p = hostPaths(host.name);
  const shared = sharedStorageMountPoint(host);
  return [
    // Shared storage first, so the recursive bind of the host's /var carries it along.
    ...(shared ? ['--bind', instancesPath(), shared] : []),
    '--bind',
    p.run,
    '/run',
    '--bind',
    p.etcLibvirt,
    '/etc/libvirt',
    '--bind',
    p.passwd,
    '/etc/passwd',
    '--bind',
    p.group,
    '/etc/group',
    // Last: the lab dir itself usually lives under /var and is hidden afterwards.
    '--bind',
    p.var,
    '/var',
  ];
}

export async function startLibvirtd(host: LabHost, wrapper?: string): Promise<void> {
  const binary = wrapper ?? (await ensureHostWrapper());
  if (await libvirtdPid(host)) return;
  const argv: string[] = [
    'netns',
    'exec',
    host.netns,
    'unshare',
    '-m',
    '--propagation',
    'private',
    binary,
    '--log',
    hostPaths(host.name).daemonLog,
    ...bindArgs(host),
    '--',
    LIBVIRTD,
    '--listen',
    '-f',
    '/etc/libvirt/libvirtd.conf',
  ];
  const child = execa('ip', argv, { detached: true, cleanup: false, reject: false, stdio: 'ignore' });
  child.unref();
  // Nothing to wait for: the daemon outlives this process.
  void child.catch(() => undefined);
  await waitLibvirtd(host, 20_000);
}

export async function waitLibvirtd(host: LabHost, timeoutMs: number): Promise<void> {
  await waitFor(
    `libvirtd on ${host.name}`,
    async () => {
      const r = await execIn(host.netns, ['virsh', '-c', host.libvirtUri, 'uri'], { allowFailure: true, timeoutMs: 5_000 });
      return r.exitCode === 0 ? true : undefined;
    },
    timeoutMs,
    100,
  );
}

async function commOf(pid: number): Promise<string | undefined> {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

export async function libvirtdPid(host: LabHost): Promise<number | undefined> {
  for (const pid of await netnsPids(host.netns)) {
    if ((await commOf(pid)) === 'libvirtd') return pid;
  }
  return undefined;
}

/** SIGKILL, as a crash would: running guests stay up and a restarted daemon reconnects to them. */
export async function killLibvirtd(host: LabHost): Promise<void> {
  const pid = await libvirtdPid(host);
  if (pid === undefined) return;
  process.kill(pid, 'SIGKILL');
  await waitFor(`libvirtd on ${host.name} to exit`, async () => ((await libvirtdPid(host)) === undefined ? true : undefined), 5_000, 50);
}

/** Keeps the first host's probed capabilities so later daemons skip the 1.7 s QEMU probe. */
export function saveCapabilityCache(host: LabHost): void {
  const src = join(hostPaths(host.name).var, CAPS_SUBDIR);
  if (!existsSync(src) || readdirSync(src).length === 0) return;
  mkdirSync(capabilityCacheDir(), { recursive: true });
  for (const f of readdirSync(src)) copyFileSync(join(src, f), join(capabilityCacheDir(), f));
}

export function virsh(host: LabHost, args: readonly string[], opts: { allowFailure?: boolean; timeoutMs?: number } = {}) {
  return execIn(host.netns, ['virsh', '-q', '-c', host.libvirtUri, ...args], { timeoutMs: 120_000, ...opts });
}

/** Gone, or a zombie waiting for PID 1 (which reaps slowly here): either way no longer running. */
function exited(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) === 'Z';
  } catch {
    return true;
  }
}

/**
 * Ends every process in a namespace we created: TERM, then KILL what is left.
 * Waits for the processes themselves, not only the namespace: a process that is
 * exiting has already left its namespace while it still tears down its memory.
 */
export async function killNetnsProcesses(netns: string): Promise<number> {
  const seen = new Set(await netnsPids(netns));
  const signal = (sig: NodeJS.Signals, targets: Iterable<number>) => {
    for (const pid of targets) {
      try {
        process.kill(pid, sig);
      } catch {
        // already gone
      }
    }
  };
  signal('SIGTERM', seen);
  const running = async () => {
    for (const pid of await netnsPids(netns)) seen.add(pid);
    return [...seen].filter((pid) => !exited(pid));
  };
  const deadline = Date.now() + 3_000;
  while (Date.now() < deadline && (await running()).length > 0) await sleep(50);
  const left = await running();
  if (left.length > 0) {
    signal('SIGKILL', left);
    const killDeadline = Date.now() + 5_000;
    while (Date.now() < killDeadline && (await running()).length > 0) await sleep(50);
  }
  // PID 1 reaps orphans only about once a second; wait so no <defunct> entries outlive `down`.
  const reapDeadline = Date.now() + 2_500;
  while (Date.now() < reapDeadline && [...seen].some((pid) => existsSync(`/proc/${pid}`))) await sleep(100);
  return seen.size;
}
