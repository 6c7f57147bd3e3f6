import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from 'supertest/types';
import { startFakeAgent, TOKEN, type FakeAgent } from './fake-agent';

// The agent's readings for pre-copy predictions: the migration link and a guest's RAM.
let agent: FakeAgent;
let server: App;
const auth = { authorization: `Bearer ${TOKEN}` };

beforeEach(async () => {
  agent = await startFakeAgent();
  server = agent.app.getHttpServer() as App;
});
afterEach(async () => {
  await agent.app.close();
});

describe('GET /v1/links/:interface', () => {
  it("reads a tc shaper's rate with an argument array; lo reports no speed", async () => {
    agent.runner.whenRun((command, args) =>
      command === 'tc' && args.join(' ') === '-j qdisc show dev lo' ? { stdout: '[{"kind":"tbf","root":true,"options":{"rate":5000000}}]' } : undefined,
    );
    const res = await request(server).get('/v1/links/lo').set(auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ interface: 'lo', speedBitsPerSec: null, shapedRateBitsPerSec: 40e6 });
  });

  it('refuses a bad interface name before running anything, and answers 404 for a missing one', async () => {
    expect((await request(server).get('/v1/links/-lo').set(auth)).status).toBe(400);
    expect((await request(server).get('/v1/links/nosuchif0').set(auth)).status).toBe(404);
    expect(agent.runner.calls.filter((c) => c.command === 'tc')).toEqual([]);
  });

  it('is guarded', async () => {
    expect((await request(server).get('/v1/links/lo')).status).toBe(401);
  });
});

describe('GET /v1/guests/:domain/memory', () => {
  it('validates the domain name and the RAM size', async () => {
    expect((await request(server).get('/v1/guests/-x/memory?ramMiB=128').set(auth)).status).toBe(400);
    expect((await request(server).get('/v1/guests/vm1/memory?ramMiB=0').set(auth)).status).toBe(400);
    expect((await request(server).get('/v1/guests/vm1/memory?ramMiB=lots').set(auth)).status).toBe(400);
  });

  it('answers 404 when no QEMU of that domain runs here', async () => {
    const res = await request(server).get('/v1/guests/no-such-guest-4242/memory?ramMiB=128').set(auth);
    expect(res.status).toBe(404);
    expect(res.body.message).toMatch(/no QEMU process for no-such-guest-4242/);
  });

  it('is guarded', async () => {
    expect((await request(server).get('/v1/guests/vm1/memory?ramMiB=128')).status).toBe(401);
  });
});
