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
  it("reads a tc shaper's rate with argument arrays; no speed when sysfs is another namespace's", async () => {
    agent.runner.whenRun((command, args) => {
      if (command === 'tc' && args.join(' ') === '-j qdisc show dev mig0')
        return { stdout: '[{"kind":"tbf","root":true,"options":{"rate":5000000}}]' };
      if (command === 'ip' && args.join(' ') === '-j link show')
        return { stdout: '[{"ifindex":1,"ifname":"lo"},{"ifindex":7,"ifname":"mig0"}]' };
      return undefined;
    });
    const res = await request(server).get('/v1/links/mig0').set(auth);
    expect(res.status).toBe(200);
    // This test's /sys/class/net is the machine's, which lists more than lo and mig0.
    expect(res.body).toEqual({ interface: 'mig0', speedBitsPerSec: null, shapedRateBitsPerSec: 40e6 });
    expect(agent.runner.calls.map((c) => [c.command, ...c.args].join(' '))).toEqual([
      'ip -j link show dev mig0',
      'tc -j qdisc show dev mig0',
      'ip -j link show',
    ]);
  });

  it('refuses a bad interface name before running anything, and answers 404 for one netlink does not know', async () => {
    expect((await request(server).get('/v1/links/-lo').set(auth)).status).toBe(400);
    expect(agent.runner.calls).toEqual([]);
    agent.runner.whenRun((command, args) =>
      command === 'ip' && args.includes('nosuchif0') ? { exitCode: 1, stderr: 'Device "nosuchif0" does not exist.' } : undefined,
    );
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
