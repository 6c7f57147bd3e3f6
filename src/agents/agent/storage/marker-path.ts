import { posix } from 'node:path';
import { isAgentId } from '../ids';

// Marker files prove that two hosts see the same instances directory. The
// agent runs as root, so the path it writes to is pinned down completely here.

export const MARKER_DIR = '.livemig-markers';

export type PathCheck = { ok: true; path: string } | { ok: false; reason: string };

export const isMarkerId = isAgentId;

/** An absolute, already-normal path; "..", "//", "." segments and NULs are refused rather than resolved. */
export function checkAbsolutePath(value: unknown, what: string): PathCheck {
  if (typeof value !== 'string' || value.length === 0) return { ok: false, reason: `${what} must be a non-empty string` };
  if (value.includes('\0')) return { ok: false, reason: `${what} contains a NUL byte` };
  if (!value.startsWith('/')) return { ok: false, reason: `${what} "${value}" is not absolute` };
  if (value.split('/').some((segment) => segment === '..' || segment === '.')) {
    return { ok: false, reason: `${what} "${value}" contains "." or ".." segments` };
  }
  const trimmed = value.length > 1 && value.endsWith('/') ? value.slice(0, -1) : value;
  if (posix.normalize(trimmed) !== trimmed) return { ok: false, reason: `${what} "${value}" is not a normal path` };
  return { ok: true, path: trimmed };
}

/** The agent writes markers only into the instances path it was configured with. */
export function checkInstancesPath(requested: string | undefined, configured: string): PathCheck {
  if (requested === undefined) return { ok: true, path: configured };
  const check = checkAbsolutePath(requested, 'instancesPath');
  if (!check.ok) return check;
  if (check.path !== configured) {
    return { ok: false, reason: `instancesPath "${check.path}" is not this host's instances path "${configured}"` };
  }
  return check;
}

export function markerFilePath(instancesPath: string, markerId: string): string {
  if (!isMarkerId(markerId)) throw new RangeError(`"${String(markerId)}" is not a marker id`);
  return posix.join(instancesPath, MARKER_DIR, `${markerId}.marker`);
}
