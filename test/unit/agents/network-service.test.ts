import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentConfig } from '../../../src/agents/agent/agent.config';
import { DRIFT_LOG_MAX, NetworkService } from '../../../src/agents/agent/network/network.service';
import { FakeProcessRunner } from '../../../src/common/process/fake-process-runner';
import type { HostNetworkState } from '../../../src/agents/protocol';

// The service around the planner: persistence, start-up re-apply, drift log.
// The fake runner answers every observation with an empty host, so whatever the
// agent runs, the confirmation still finds it missing.

const services: NetworkService[] = [];
afterEach(() => {
  for (const s of services.splice(0)) s.onApplicationShutdown();
});

async function service(dataDir?: string): Promise<{ svc: NetworkService; runner: FakeProcessRunner; config: AgentConfig }> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'livemig-network-')));
  const config: AgentConfig = { host: 'h1', token: 'x'.repeat(16), dataDir: dir, instancesPath: dir, version: '0', reconcileIntervalMs: 0 };
  const runner = new FakeProcessRunner();
  const svc = new NetworkService(config, runner);
  services.push(svc);
  await svc.onApplicationBootstrap();
  return { svc, runner, config };
}

function state(fdbEntries: number): HostNetworkState {
  const fdb = Array.from({ length: fdbEntries }, (_, k) => ({
    mac: `fa:16:3e:00:${(k >> 8).toString(16).padStart(2, '0')}:${(k & 255).toString(16).padStart(2, '0')}`,
    vtepIp: '198.51.100.132',
  }));
  return {
    host: 'h1',
    revision: 1,
    localVtepIp: '198.51.100.131',
    networks: [{ networkId: 'net-a', vni: 1000, mtu: 1450, bridge: 'brq1000', vxlanDevice: 'vxlan-1000', floodVteps: [], fdb }],
    routers: [],
    fipNamespaces: [],
  };
}

describe('network service', () => {
  it('keeps the applied state on disk and re-applies it when a new agent starts', async () => {
    const first = await service();
    await first.svc.apply(state(1));
    const second = await service(first.config.dataDir);
    expect(second.svc.status().desired).toEqual(state(1));
    expect(
      second.runner.calls.some(
        (c) => c.command === 'bridge' && c.args.join(' ') === 'fdb replace fa:16:3e:00:00:00 dev vxlan-1000 dst 198.51.100.132',
      ),
    ).toBe(true);
    expect(second.svc.status().lastApply?.revision).toBe(1);
    expect(second.svc.status().driftLog.length).toBeGreaterThan(0);
  });

  it('logs drift it cannot repair once, not on every reconcile, and keeps the log bounded, newest last', async () => {
    const { svc } = await service();
    await svc.apply(state(DRIFT_LOG_MAX + 50));
    await svc.reconcileNow();
    const log = svc.status().driftLog;
    expect(log).toHaveLength(DRIFT_LOG_MAX);
    // 252 drift (bridge, vxlan, 250 FDB entries) in plan order: the oldest 52 fell off.
    expect(log[0]?.subject).toBe('fa:16:3e:00:00:32 dev vxlan-1000 dst 198.51.100.132');
    expect(log.at(-1)?.subject).toBe('fa:16:3e:00:00:f9 dev vxlan-1000 dst 198.51.100.132');
    expect(log.every((d) => !Number.isNaN(Date.parse(d.at)))).toBe(true);
    await svc.reconcileNow();
    expect(svc.status().driftLog).toEqual(log);
  });
});
