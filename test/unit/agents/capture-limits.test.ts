import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpAgentClient } from '../../../src/agents/client/http-agent.client';
import { startFakeAgent, TOKEN, type FakeAgent } from './fake-agent';

// A token holder asks for many or huge captures: the agent's per-host budget answers 429 with the reason.
describe('per-agent capture limits', () => {
  let agent: FakeAgent | undefined;
  afterEach(async () => {
    await agent?.app.close();
  });

  async function start(limits: { maxConcurrent?: number; maxBytes?: number }): Promise<HttpAgentClient> {
    agent = await startFakeAgent(undefined, { captureLimits: limits });
    await agent.app.listen(0, '127.0.0.1');
    const { port } = agent.app.getHttpServer().address() as AddressInfo;
    return new HttpAgentClient({ host: 'hostA', url: `http://127.0.0.1:${port}`, token: TOKEN });
  }

  it('a capture past the concurrent limit: 429; after one stops, the next starts', async () => {
    const client = await start({ maxConcurrent: 2 });
    const a = await client.startCapture({ interface: 'mig0' });
    await client.startCapture({ interface: 'mig0' });
    await expect(client.startCapture({ interface: 'mig0' })).rejects.toMatchObject({
      statusCode: 429,
      reason: expect.stringMatching(/2 captures are running on this host, the limit is 2/),
    });
    await client.stopCapture(a.captureId);
    expect((await client.startCapture({ interface: 'mig0' })).state).toBe('running');
  });

  it('captures that may reach more than the byte budget: 429; deleting kept captures frees it', async () => {
    const client = await start({ maxBytes: 300 * 1024 * 1024 });
    const big = await client.startCapture({ interface: 'mig0', maxSizeMiB: 200 });
    await expect(client.startCapture({ interface: 'mig0', maxSizeMiB: 200 })).rejects.toMatchObject({
      statusCode: 429,
      reason: expect.stringMatching(/pass the limit of 314572800 bytes/),
    });
    await client.deleteCapture(big.captureId);
    expect((await client.startCapture({ interface: 'mig0', maxSizeMiB: 200 })).state).toBe('running');
  });

  it('a single capture over 16 GiB or a day is refused by validation (400)', async () => {
    const client = await start({});
    await expect(client.startCapture({ interface: 'mig0', maxSizeMiB: 16_385 })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.startCapture({ interface: 'mig0', maxDurationSec: 86_401 })).rejects.toMatchObject({ statusCode: 400 });
  });
});
