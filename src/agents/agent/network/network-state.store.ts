import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostNetworkState } from '../../protocol';

export const NETWORK_STATE_FILE = 'network-state.json';

/** The last desired state, kept in the agent's data dir so a restarted agent re-applies it. */
export class NetworkStateStore {
  constructor(private readonly dataDir: string) {}

  private get path(): string {
    return join(this.dataDir, NETWORK_STATE_FILE);
  }

  async load(): Promise<HostNetworkState | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return JSON.parse(text) as HostNetworkState;
  }

  /** Write then rename: a crash leaves the old file or the new one, never half of one. */
  async save(state: HostNetworkState): Promise<void> {
    await mkdir(this.dataDir, { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, this.path);
  }
}
