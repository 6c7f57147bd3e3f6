import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { labStateFile } from './paths';

// What `lab up` made, so later commands (status, tests, the demo) know the host count.

export interface LabState {
  hosts: number;
  upAt: string;
}

export function readLabState(): LabState | undefined {
  if (!existsSync(labStateFile())) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(labStateFile(), 'utf8')) as Partial<LabState>;
    return typeof parsed.hosts === 'number' && typeof parsed.upAt === 'string' ? { hosts: parsed.hosts, upAt: parsed.upAt } : undefined;
  } catch {
    return undefined;
  }
}

export function writeLabState(state: LabState): void {
  mkdirSync(dirname(labStateFile()), { recursive: true });
  writeFileSync(labStateFile(), `${JSON.stringify(state, null, 2)}\n`);
}

export function clearLabState(): void {
  rmSync(labStateFile(), { force: true });
}
