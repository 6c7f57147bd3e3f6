// Issue 16, finding 3: four connects to a silent hypervisor used to hang 5 minutes and starve file I/O.
import { pbkdf2 } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { LibvirtConnection } from '../../../src/migration/libvirt/libvirt-connection';
import { LibvirtError, LibvirtErrorCode } from '../../../src/migration/libvirt/libvirt-error';

async function silentListener(sockets: Socket[]): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return { server, port: address.port };
}

const failure = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('a hung hypervisor', () => {
  const sockets: Socket[] = [];
  const servers: Server[] = [];
  afterAll(() => {
    for (const s of sockets) s.destroy();
    for (const s of servers) s.close();
  });

  it('is refused within the connect timeout while file I/O and crypto keep their threads', async () => {
    const listeners = await Promise.all(Array.from({ length: 6 }, () => silentListener(sockets)));
    servers.push(...listeners.map((l) => l.server));
    // More hung connects than libuv has threads (4).
    const opens = listeners.map(({ port }) =>
      failure(LibvirtConnection.open(`qemu+tcp://127.0.0.1:${port}/system`, { connectTimeoutMs: 3000 })),
    );
    let opensSettled = false;
    const settled = Promise.all(opens).then((errors) => {
      opensSettled = true;
      return errors;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Ordering, not timing: were the hung connects holding libuv's threads, this I/O could only finish after they
    // gave up; it finishes while they still wait.
    await Promise.all([
      ...Array.from({ length: 16 }, () => readFile(__filename)),
      ...Array.from({ length: 4 }, () => promisify(pbkdf2)('x', 'y', 1000, 32, 'sha256')),
    ]);
    expect(opensSettled).toBe(false);

    // Each is refused by the connect timeout rather than left hanging.
    for (const error of await settled) {
      expect(error).toBeInstanceOf(LibvirtError);
      expect((error as LibvirtError).code).toBe(LibvirtErrorCode.OPERATION_TIMEOUT);
      expect((error as LibvirtError).message).toMatch(/did not answer the connect within 3000 ms/);
    }

    // While that connect is still stuck, the same hypervisor is refused at once instead of taking another thread.
    const again = await failure(LibvirtConnection.open(`qemu+tcp://127.0.0.1:${listeners[0].port}/system`, { connectTimeoutMs: 3000 }));
    expect((again as LibvirtError).message).toMatch(/has not answered an earlier connect/);
  }, 20_000);

  it('still lets other hypervisors through: libvirt work has threads of its own', async () => {
    const conn = await LibvirtConnection.open('test:///default');
    try {
      expect(await conn.hostname()).toBeTruthy();
    } finally {
      await conn.close();
    }
  });
});
