import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeTcpEchoProbe } from '../../../src/agents/agent/probes/tcp-echo.prober';

let server: Server | undefined;
const sockets: Socket[] = [];

async function echoServer(): Promise<number> {
  server = createServer((socket) => {
    sockets.push(socket);
    socket.pipe(socket);
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('NodeTcpEchoProbe', () => {
  it('keeps one connection and gets every line back', async () => {
    const port = await echoServer();
    const probe = new NodeTcpEchoProbe({ target: '127.0.0.1', port, intervalMs: 10 });
    await wait(300);
    const summary = await probe.stop();
    expect(summary.sent).toBeGreaterThan(10);
    expect(summary.echoed).toBe(summary.sent);
    expect(summary.connections).toBe(1);
    expect(summary.connectionErrors).toEqual([]);
    expect(summary.maxEchoGapMs).not.toBeNull();
  });

  it('counts a reconnect when the connection is reset', async () => {
    const port = await echoServer();
    const probe = new NodeTcpEchoProbe({ target: '127.0.0.1', port, intervalMs: 10 });
    await wait(100);
    sockets[0]?.resetAndDestroy();
    await wait(400);
    const summary = await probe.stop();
    expect(summary.connections).toBe(2);
    expect(summary.connectionErrors.length).toBeGreaterThan(0);
    expect(summary.maxEchoGapMs).toBeGreaterThanOrEqual(100);
  });

  it('reports a refused connection without echoes', async () => {
    const port = await echoServer();
    await new Promise<void>((r) => server?.close(() => r()));
    server = undefined;
    const probe = new NodeTcpEchoProbe({ target: '127.0.0.1', port, intervalMs: 10 });
    await wait(150);
    const summary = await probe.stop();
    expect(summary).toMatchObject({ sent: 0, echoed: 0, connections: 0, maxEchoGapMs: null });
    expect(summary.connectionErrors[0]).toMatch(/ECONNREFUSED/);
  });
});
