import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

interface Holder {
  pid: number;
  host: string;
  since: string;
}

/**
 * SQLite is the single-process embedded default: a second controller on the same file would fail later with
 * "database is locked" and run every migration twice. A lock file beside the database names the process
 * that holds it; a holder that no longer runs (killed) is replaced.
 */
export function acquireSqliteProcessLock(databasePath: string): () => void {
  const path = `${databasePath}.lock`;
  const me: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return () => release(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readHolder(path);
    // The same process (tests start several apps in one) is not a second controller.
    if (holder && holder.pid !== process.pid && holder.host === me.host && alive(holder.pid)) {
      throw new Error(
        `the SQLite database ${databasePath} is in use by another livemig controller (pid ${holder.pid}, since ${holder.since}); ` +
          'SQLite serves one controller process: stop the other one, or run several replicas on PostgreSQL (DATABASE_URL=postgres://…)',
      );
    }
    if (holder && holder.pid === process.pid) return () => undefined;
    try {
      unlinkSync(path);
    } catch {
      // Another process replaced the stale file first; the next attempt sees it.
    }
  }
  throw new Error(`could not take the SQLite lock file ${path}`);
}

function readHolder(path: string): Holder | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Holder>;
    return typeof parsed.pid === 'number' ? { pid: parsed.pid, host: String(parsed.host ?? ''), since: String(parsed.since ?? '') } : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function release(path: string): void {
  const holder = readHolder(path);
  if (holder?.pid !== process.pid) return;
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
