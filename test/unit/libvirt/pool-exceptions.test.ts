// Issue 16, finding 6: a C++ exception thrown on a libvirt pool thread must reject its promise,
// not abort the process. The addon throws on purpose only with LIVEMIG_ADDON_FAULTS=1.
import { spawnSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { findAddonPath } from '../../../src/migration/libvirt/load-native';

function runWithAddon(body: string, faults: boolean): { status: number | null; stdout: string; stderr: string } {
  const script = `const addon = require(${JSON.stringify(findAddonPath())});\n(async () => {\n${body}\n})().catch((e) => { console.error('unexpected', e); process.exit(2); });`;
  const env = { ...process.env, LIVEMIG_ADDON_FAULTS: faults ? '1' : '' };
  const run = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8', timeout: 20_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('C++ exceptions on the libvirt pool', () => {
  it('reject the call with livemig words and leave the process working', () => {
    const run = runWithAddon(
      `for (const kind of ['runtime_error', 'bad_alloc', 'other']) {
         try { await addon.throwInPool(kind); console.log(kind, 'resolved'); }
         catch (e) { console.log(kind, 'rejected', e.message); }
       }
       const conn = await addon.openConnection('test:///default');
       console.log('after', (await conn.lookupByName('test')) ? 'domain found' : 'no domain');
       await conn.close();`,
      true,
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('runtime_error rejected livemig addon error: injected fault');
    expect(run.stdout).toMatch(/bad_alloc rejected livemig addon error: .*bad_alloc/);
    expect(run.stdout).toContain('other rejected livemig addon error');
    expect(run.stdout).toContain('after domain found');
  });

  it('has no fault injection in a normal process', () => {
    const run = runWithAddon(`console.log(typeof addon.throwInPool);`, false);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('undefined');
  });
});
