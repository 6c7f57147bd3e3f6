import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { sleep } from './exec';

// One lab per machine, shared by every process that runs lab tests. The lock
// serializes `up`/`down`, and a test file can hold it for its whole life so a
// concurrent run elsewhere waits instead of tearing the lab down under it.
// Re-entrant within a process; a lock left by a dead process is taken over.

/** Machine-wide, not per LIVEMIG_LAB_DIR: the namespaces are machine-wide too. */
const LOCK_FILE = '/run/livemig-lab.lock';
const lockFile = () => LOCK_FILE;
let depth = 0;

function holderPid(): number | undefined {
  try {
    const pid = Number(readFileSync(lockFile(), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** A zombie holder (killed, not yet reaped) counts as gone. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function tryCreate(): boolean {
  try {
    const fd = openSync(lockFile(), 'wx');
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Takes the lab lock, waiting up to `timeoutMs` for another process to let go. Returns the release function. */
export async function acquireLabLock(timeoutMs = 600_000): Promise<() => void> {
  if (depth > 0 && holderPid() === process.pid) {
    depth++;
    return release;
  }
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    if (tryCreate()) break;
    const holder = holderPid();
    if (holder === process.pid || holder === undefined || !alive(holder)) {
      rmSync(lockFile(), { force: true });
      continue;
    }
    if (!told) {
      process.stderr.write(`lab: waiting for process ${holder}, which holds the lab\n`);
      told = true;
    }
    if (Date.now() > deadline) throw new Error(`the lab is held by process ${holder} (${lockFile()})`);
    await sleep(250);
  }
  depth = 1;
  return release;
}

function release(): void {
  if (depth === 0) return;
  depth--;
  if (depth === 0 && holderPid() === process.pid) rmSync(lockFile(), { force: true });
}

export async function withLabLock<T>(fn: () => Promise<T>): Promise<T> {
  const release = await acquireLabLock();
  try {
    return await fn();
  } finally {
    release();
  }
}
