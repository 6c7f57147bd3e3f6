// libvirt calls run off the JS thread: timers keep firing while they are in flight.
import { createServer, Socket } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { LibvirtConnection } from '../../../src/migration/libvirt/libvirt-connection';
import { LibvirtError } from '../../../src/migration/libvirt/libvirt-error';

function countTicks(intervalMs: number): { stop: () => number } {
  let ticks = 0;
  const timer = setInterval(() => ticks++, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return ticks;
    },
  };
}

describe('event loop during libvirt calls', () => {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));

  afterEach(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });

  it('keeps firing timers while a connection open hangs on a silent daemon', async () => {
    // A TCP server that accepts and never answers: libvirt's open blocks in its worker thread.
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    const ticker = countTicks(5);
    const startedMs = Date.now();
    const opening = LibvirtConnection.open(`qemu+tcp://127.0.0.1:${address.port}/system`).then(
      () => undefined,
      (e: unknown) => e,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sockets).toHaveLength(1); // libvirt did connect and is waiting for an answer
    for (const s of sockets) s.destroy(); // the "daemon" hangs up
    const error = await opening;
    const ticks = ticker.stop();
    expect(error).toBeInstanceOf(LibvirtError);
    expect((error as LibvirtError).message).toMatch(/end of file|connection reset|closed/i);
    expect(Date.now() - startedMs).toBeGreaterThanOrEqual(300);
    // ~60 ticks of 5 ms fit into 300 ms; a blocked event loop would allow none until the open returned.
    expect(ticks).toBeGreaterThanOrEqual(20);
  });

  it('settles a batch of concurrent calls asynchronously, never inline', async () => {
    const conn = await LibvirtConnection.open('test:///default');
    try {
      const calls: Promise<unknown>[] = [];
      for (let i = 0; i < 2000; i++) calls.push(i % 2 === 0 ? conn.hostname() : conn.lookupDomain('test'));
      // Still pending right after queuing: nothing ran on this thread.
      let settled = 0;
      for (const c of calls) void c.then(() => settled++);
      await Promise.resolve();
      expect(settled).toBe(0);
      await Promise.all(calls);
      expect(settled).toBe(2000);
    } finally {
      await conn.close();
    }
  });
});
