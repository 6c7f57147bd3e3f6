// Issue 16, finding 4: captures were 0644 in 0755 directories.
import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sessionFile } from '../../../src/agents/agent/session-files';

describe('agent session files', () => {
  it('keeps captures and probes in 0700 directories, tightening one an earlier version made 0755', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'livemig-session-'));
    mkdirSync(join(dataDir, 'captures'), { mode: 0o755 });
    expect(await sessionFile(dataDir, 'captures', 'c-1')).toBe(join(dataDir, 'captures', 'c-1.pcap'));
    await sessionFile(dataDir, 'probes', 'p-1');
    for (const kind of ['captures', 'probes']) expect(statSync(join(dataDir, kind)).mode & 0o777).toBe(0o700);
  });
});
