// An event subscription keeps the process alive (like a socket); once every listener is gone
// and connections are closed, the process exits on its own.
import { spawn } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { findAddonPath } from '../../../src/migration/libvirt/load-native';

function runScript(body: string, waitMs: number): Promise<{ exited: boolean; code: number | null; stdout: string }> {
  const script = `const addon = require(${JSON.stringify(findAddonPath())});\n(async () => {\n${body}\n})().catch((e) => { console.error(e); process.exit(2); });`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ exited: false, code: null, stdout });
    }, waitMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ exited: true, code, stdout });
    });
  });
}

describe('process lifetime with the addon loaded', () => {
  it('exits by itself after unsubscribing and closing', async () => {
    const result = await runScript(
      `const conn = await addon.openConnection('test:///default');
       const handle = await conn.registerDomainEvents(() => {});
       await conn.deregisterDomainEvents(handle);
       await conn.close();
       console.log('done');`,
      10_000,
    );
    expect(result).toEqual({ exited: true, code: 0, stdout: 'done\n' });
  });

  it('exits by itself when close() drops a listener still registered', async () => {
    const result = await runScript(
      `const conn = await addon.openConnection('test:///default');
       await conn.registerDomainEvents(() => {});
       await conn.close();
       console.log('done');`,
      10_000,
    );
    expect(result).toEqual({ exited: true, code: 0, stdout: 'done\n' });
  });

  it('stays alive while a listener is registered', async () => {
    const result = await runScript(
      `const conn = await addon.openConnection('test:///default');
       await conn.registerDomainEvents(() => {});
       console.log('listening');`,
      1500,
    );
    expect(result).toEqual({ exited: false, code: null, stdout: 'listening\n' });
  });
});
