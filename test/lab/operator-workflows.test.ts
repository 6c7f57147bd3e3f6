import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLabLock, destroyGuest, labDown, labUp, shapeMigrationLink, virsh, whereIsGuest } from '../../lab';
import { waitForMigration, type ControllerApi, type MigrationRecord } from '../../lab/cli/controller-api';
import type { MigrationPrediction } from '../../src/migration/dto/migration-response';
import { bootInstance, type LabInstance } from '../../lab/cli/lab-inventory';
import { crashNote, retryOnGuestFault } from '../support/lab/guest-faults';
import { openReservations, requestMigration, startLabController, type LabController } from '../support/lab/lab-controller';

const GUEST_FAULT_ATTEMPTS = 3;
// The bar: the prediction within 25 % of the actual total time (the hypervisor's time elapsed).
const TOLERANCE = 0.25;
// A cap well under what TCG can push, so the copy is paced by the bandwidth the model is told about, and about
// twice the moderate dirtier's rate: page-sampling is coarse (QEMU samples half a page per MiB), and near the
// bandwidth a small error in the rate swings the predicted rounds a lot.
const CAP_MIB_PER_SEC = 16;
const STEADY = {
  bandwidthMiBps: CAP_MIB_PER_SEC,
  maxDowntimeMs: 300,
  downtimeSteps: 1,
  completionTimeoutSecPerGiB: 0,
  progressTimeoutSec: 0,
};
const SLOW_LINK_MBIT = 40;
const CLI = resolve(__dirname, '../../bin/livemig.js');

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The operator CLI as an operator runs it: its own process, the controller's URL and token from the environment. */
function runCli(lab: LabController, args: string[]): Promise<CliRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, LIVEMIG_URL: lab.process.url, LIVEMIG_TOKEN: lab.token }, timeout: 300_000 },
      (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

type Predicted = MigrationRecord & { prediction: MigrationPrediction | null };

interface DrainBody {
  id: string;
  state: string;
  failureReason: string | null;
  moves: {
    instanceId: string;
    instanceName: string;
    destinationHostId: string | null;
    migrationId: string | null;
    outcome: string;
    reason: string | null;
  }[];
  plan: { moves: unknown[]; predictedMakespanSec: number };
}

interface RunBody {
  id: string;
  state: string;
  inputs: {
    utilisationSource: string;
    hosts: { name: string; utilisation: number }[];
    instances: { name: string; cpuUtilisation?: number | null }[];
    inCooldownInstanceIds: string[];
  };
  moves: { instanceId: string; instanceName: string; sourceHostId: string; destinationHostId: string }[];
  results: { instanceId: string; migrationId: string | null; outcome: string; reason: string | null }[];
}

async function poll<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not finish in ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('operator workflows on the lab (controller process, REST only)', () => {
  let release: () => void;
  let lab: LabController | undefined;
  const api = (): ControllerApi => lab!.api;
  const hostId = (name: string) => lab!.inventory.hostIds[name];
  const hostOf = async (instanceId: string) => (await api().ok<{ hostId: string }>('GET', `/instances/${instanceId}`)).hostId;

  /** Deletes the instances whose names start with `prefix` and destroys their guests: no stale load for the planners. */
  const forget = async (prefix: string) => {
    const { items } = await api().ok<{ items: { id: string; name: string; domainName: string }[] }>('GET', '/instances?limit=500');
    for (const i of items.filter((x) => x.name.startsWith(prefix))) {
      await destroyGuest(i.domainName).catch(() => undefined);
      await api().call('DELETE', `/instances/${i.id}`);
    }
  };

  beforeAll(async () => {
    release = await acquireLabLock();
    await labUp({ hosts: 2 });
    lab = await startLabController({ name: 'workflows', basePort: 19_300 });
  }, 300_000);

  afterAll(async () => {
    await shapeMigrationLink('host-a', null).catch(() => undefined);
    await lab?.process.stop();
    await labDown();
    release?.();
  }, 120_000);

  it('drains host-a of three guests of different flavors through the API: all on host-b, host-a in maintenance, a full report per migration', async () => {
    const flavors = ['lab.nano', 'lab.micro', 'lab.tiny'];
    const names = (base: string) => flavors.map((_, i) => `${base}-${i + 1}`);
    await retryOnGuestFault(
      'drain',
      GUEST_FAULT_ATTEMPTS,
      async (base) => {
        // A retry starts from an enabled host-a without the guests of the attempt that faulted.
        await forget('drain');
        await api().ok('PATCH', `/hosts/${hostId('host-a')}`, { state: 'enabled' });
        const vms: LabInstance[] = await Promise.all(
          names(base).map((name, i) =>
            bootInstance(api(), lab!.inventory, {
              name,
              host: 'host-a',
              ip: `203.0.113.${70 + i}`,
              flavor: flavors[i],
              dirtyMiB: 2,
              dirtyPauseMs: 500,
            }),
          ),
        );
        const planStarted = Date.now();
        const plan = await api().call<DrainBody['plan'] & { unplaceable: unknown[] }>('POST', `/hosts/${hostId('host-a')}/drain`, {
          dryRun: true,
        });
        const planMs = Date.now() - planStarted;
        expect(plan.status, JSON.stringify(plan.body)).toBe(200);
        expect(plan.body.moves).toHaveLength(3);
        expect(plan.body.unplaceable).toEqual([]);

        const started = Date.now();
        const res = await api().call<DrainBody>('POST', `/hosts/${hostId('host-a')}/drain`, { dryRun: false, maxParallel: 2 });
        expect(res.status, JSON.stringify(res.body)).toBe(202);
        const drain = await poll(
          'drain',
          () => api().ok<DrainBody>('GET', `/drains/${res.body.id}`),
          (d) => d.state !== 'running',
          300_000,
        );
        const drainMs = Date.now() - started;
        console.log(
          `[drain] plan ${planMs} ms (predicted makespan ${plan.body.predictedMakespanSec.toFixed(1)} s); drain of 3 guests ${drainMs} ms; moves ${JSON.stringify(drain.moves.map((m) => [m.instanceName, m.outcome, m.reason]))}`,
        );
        expect(drain.state, `${drain.failureReason} ${JSON.stringify(drain.moves)}`).toBe('completed');
        expect(drain.moves.map((m) => m.outcome)).toEqual(['completed', 'completed', 'completed']);
        expect((await api().ok<{ state: string }>('GET', `/hosts/${hostId('host-a')}`)).state).toBe('maintenance');
        for (const vm of vms) {
          expect(await hostOf(vm.instanceId)).toBe(hostId('host-b'));
          expect(await whereIsGuest(vm.domainName)).toEqual({ defined: ['host-b'], running: ['host-b'] });
        }
        for (const move of drain.moves) {
          const report = await poll(
            `report of ${move.instanceName}`,
            () =>
              api().ok<{
                reportState: string;
                network: Record<string, number | null>;
                hypervisor: Record<string, number | null>;
                prediction: { totalTimeMs: number | null };
                detail: { notes: string[] } | null;
              }>('GET', `/migrations/${move.migrationId}/report`),
            (r) => r.reportState !== 'pending',
            60_000,
          );
          const why = `${move.instanceName}: ${JSON.stringify(report.detail?.notes)}`;
          expect(report.reportState, why).toBe('ready');
          expect(report.network.totalMigrationTimeMs, why).toBeGreaterThan(0);
          expect(report.network.downtimeMs, why).not.toBeNull();
          expect(report.network.lossPct, why).not.toBeNull();
          expect(report.hypervisor.hvTotalTimeMs, why).toBeGreaterThan(0);
          expect(report.hypervisor.hvDowntimeMs, why).toBeGreaterThan(0);
          expect(report.prediction.totalTimeMs, why).toBeGreaterThan(0);
        }
        expect(openReservations(lab!.dbFile)).toBe(0);
      },
      names,
    );
    await forget('drain');
    await api().ok('PATCH', `/hosts/${hostId('host-a')}`, { state: 'enabled' });
  }, 900_000);

  it('rebalances cpu load skewed onto host-a: a dry run proposes, an executing policy moves, a run inside the cooldown does not move it back', async () => {
    // Two CPU-bound guests (a 1 MiB dirtier without pause keeps the vCPU busy and converges) on host-a, none on host-b.
    const names = (base: string) => [`${base}-1`, `${base}-2`];
    await retryOnGuestFault(
      'rebal',
      GUEST_FAULT_ATTEMPTS,
      async (base) => {
        await forget('rebal');
        const vms = await Promise.all(
          names(base).map((name, i) =>
            bootInstance(api(), lab!.inventory, {
              name,
              host: 'host-a',
              ip: `203.0.113.${80 + i}`,
              flavor: 'lab.nano',
              dirtyMiB: 1,
              dirtyPauseMs: 0,
            }),
          ),
        );
        const policy = (mode: string) => ({
          name: `cpu-spread-${mode}-${base}`,
          metric: 'cpu',
          goal: { kind: 'stddev', value: 0.02 },
          cron: '0 0 3 1 1 *',
          maxMigrationsPerRun: 1,
          cooldownSec: 3600,
          mode,
        });
        const run = async (policyId: string) => {
          const res = await api().call<RunBody>('POST', `/rebalance-policies/${policyId}/run`);
          expect(res.status, JSON.stringify(res.body)).toBe(202);
          return poll(
            'rebalance run',
            () => api().ok<RunBody>('GET', `/rebalance-runs/${res.body.id}`),
            (r) => r.state !== 'running',
            300_000,
          );
        };

        const dry = await api().ok<{ id: string }>('POST', '/rebalance-policies', policy('dry-run'));
        const proposed = await run(dry.id);
        console.log(
          `[rebalance] dry run: ${JSON.stringify(proposed.inputs.hosts.map((h) => [h.name, h.utilisation]))}, instances ${JSON.stringify(proposed.inputs.instances.map((i) => [i.name, i.cpuUtilisation]))}, moves ${JSON.stringify(proposed.moves.map((m) => m.instanceName))}`,
        );
        expect(proposed.inputs.utilisationSource).toBe('libvirt');
        expect(proposed.moves).toHaveLength(1);
        expect(proposed.moves[0]).toMatchObject({ sourceHostId: hostId('host-a'), destinationHostId: hostId('host-b') });
        expect(proposed.results.map((r) => r.outcome)).toEqual(['not-executed']);
        for (const vm of vms) expect(await hostOf(vm.instanceId)).toBe(hostId('host-a'));

        const exec = await api().ok<{ id: string }>('POST', '/rebalance-policies', policy('execute'));
        const started = Date.now();
        const executed = await run(exec.id);
        console.log(`[rebalance] executing run ${Date.now() - started} ms: ${JSON.stringify(executed.results)}`);
        expect(executed.state).toBe('completed');
        expect(
          executed.results.map((r) => r.outcome),
          JSON.stringify(executed.results),
        ).toEqual(['completed']);
        const moved = executed.moves[0].instanceId;
        expect(await hostOf(moved)).toBe(hostId('host-b'));

        // host-a goes quiet: the planner would now move the guest back, but it is cooling down.
        const stayed = vms.find((v) => v.instanceId !== moved)!;
        await virsh('host-a', ['suspend', stayed.domainName]);
        try {
          const again = await run(exec.id);
          console.log(
            `[rebalance] run inside the cooldown: ${JSON.stringify(again.inputs.hosts.map((h) => [h.name, h.utilisation]))}, moves ${JSON.stringify(again.moves.map((m) => m.instanceName))}, cooling down ${JSON.stringify(again.inputs.inCooldownInstanceIds)}`,
          );
          expect(again.inputs.inCooldownInstanceIds).toContain(moved);
          expect(again.moves.map((m) => m.instanceId)).not.toContain(moved);
          expect(await hostOf(moved)).toBe(hostId('host-b'));
        } finally {
          await virsh('host-a', ['resume', stayed.domainName], { allowFailure: true });
        }
        for (const id of [dry.id, exec.id]) await api().call('DELETE', `/rebalance-policies/${id}`);
      },
      names,
    );
    await forget('rebal');
  }, 600_000);

  it('migrates a guest with `livemig migrate`: progress lines from the events, the figures at the end, exit 0; a second request exits non-zero with the reason', async () => {
    await retryOnGuestFault('cli', GUEST_FAULT_ATTEMPTS, async (name) => {
      await forget('cli');
      const vm = await bootInstance(api(), lab!.inventory, {
        name,
        host: 'host-a',
        ip: '203.0.113.95',
        flavor: 'lab.nano',
        dirtyMiB: 4,
        dirtyPauseMs: 200,
      });
      const run = await runCli(lab!, ['migrate', name, '--to', 'host-b']);
      console.log(`[cli] exit ${run.code}\n${run.stdout}${run.stderr}`);
      expect(run.code, run.stderr).toBe(0);
      const lines = run.stdout.split('\n');
      expect(lines[0]).toMatch(/^migration [0-9a-f-]{36} queued$/);
      // Not a terminal: one line per event, each with the phase and the bar.
      const progress = lines.filter((l) => /\[[#.]{24}\]\s+\d+%/.test(l));
      expect(progress.length).toBeGreaterThanOrEqual(2);
      expect(
        progress.some((l) => /remaining \d+\.\d MiB {2}iteration \d+/.test(l)),
        progress.join('\n'),
      ).toBe(true);
      expect(progress[progress.length - 1]).toMatch(/^completed\s+\[#{24}\]\s+100%/);
      // Before the copy starts libvirt reports zeros; the line says so, and a log gets no repeated lines.
      expect(progress.filter((l) => /remaining 0\.0 MiB {2}iteration 0/.test(l))).toEqual([]);
      expect(progress.filter((l, i) => l === progress[i - 1])).toEqual([]);
      expect(run.stdout).toMatch(/^state {12}completed$/m);
      expect(run.stdout).toMatch(/^total time {7}\d+ ms$/m);
      expect(run.stdout).toMatch(/^downtime \(hv\) {4}\d+ ms$/m);
      expect(await hostOf(vm.instanceId)).toBe(hostId('host-b'));
      expect((await whereIsGuest(vm.domainName)).running).toEqual(['host-b']);

      // Already there: the controller refuses, the CLI says why and exits non-zero.
      const again = await runCli(lab!, ['migrate', name, '--to', 'host-b']);
      expect(again.code).not.toBe(0);
      expect(again.stderr).toMatch(/livemig: .+/);
      expect(again.stdout).not.toMatch(/queued/);
    });
    await forget('cli');
  }, 600_000);

  describe('pre-copy prediction against lab migrations (libvirt page-sampling dirty rate)', () => {
    const describeRecord = (m: Predicted) => {
      const r = m.prediction;
      return JSON.stringify({
        state: m.state,
        hvTotalTimeMs: m.hvTotalTimeMs,
        hvSetupTimeMs: m.hvSetupTimeMs,
        hvIterations: m.hvIterations,
        hvDataProcessedBytes: m.hvDataProcessedBytes,
        hvDowntimeMs: m.hvDowntimeMs,
        ...r,
      });
    };

    // Both dirtiers rewrite a small working set faster than once a round, slower than the link drains it: they converge.
    const cases = [
      { label: 'light dirtier', dirtyMiB: 2, dirtyPauseMs: 500, ip: '203.0.113.51' },
      { label: 'moderate dirtier', dirtyMiB: 6, dirtyPauseMs: 700, ip: '203.0.113.52' },
    ];
    const percent = (m: Predicted) => `${(m.prediction?.totalTimeErrorPct ?? NaN).toFixed(1)} %`;
    for (const c of cases) {
      it(`predicts the total time of a guest with a ${c.label} (${c.dirtyMiB} MiB every ${c.dirtyPauseMs} ms) within 25 %`, async () => {
        const { api, inventory } = lab!;
        // There and back. QEMU sends zero pages as tiny records, so the first round sends only the guest RAM
        // that is not zero: the source's agent counts it in QEMU's mapping before each copy.
        const [first, second] = await retryOnGuestFault(`pred-${c.dirtyMiB}`, GUEST_FAULT_ATTEMPTS, async (name) => {
          const vm = await bootInstance(api, inventory, {
            name,
            host: 'host-a',
            ip: c.ip,
            flavor: 'lab.micro',
            dirtyMiB: c.dirtyMiB,
            dirtyPauseMs: c.dirtyPauseMs,
          });
          const out: Predicted[] = [];
          for (const to of ['host-b', 'host-a']) {
            const res = await requestMigration(api, inventory, vm, to, STEADY);
            expect(res.status, JSON.stringify(res.body)).toBe(202);
            const m = (await waitForMigration(api, res.body.id, 120_000)) as Predicted;
            expect(m.state, `${m.failureReason}${crashNote(vm.domainName)}`).toBe('completed');
            out.push(m);
          }
          await destroyGuest(name).catch(() => undefined);
          return out;
        });
        for (const [i, m] of [first, second].entries()) {
          console.log(
            `[prediction] ${c.label}, migration ${i + 1}: predicted ${m.prediction?.totalTimeMs?.toFixed(0)} ms, hypervisor ${m.hvTotalTimeMs} ms, error ${percent(m)}; ${describeRecord(m)}`,
          );
        }
        for (const m of [first, second]) {
          expect(m.prediction?.inputs?.residentSource, describeRecord(m)).toBe('host-nonzero');
          expect(m.prediction?.inputs?.bandwidthSource).toBe('policy-cap');
          expect(m.prediction?.converges).toBe(true);
          expect(m.prediction?.totalTimeErrorPct, describeRecord(m)).not.toBeNull();
          expect(Math.abs(m.prediction!.totalTimeErrorPct!), describeRecord(m)).toBeLessThanOrEqual(TOLERANCE * 100);
        }
      }, 300_000);
    }

    it(`flags a guest that dirties more than a ${SLOW_LINK_MBIT} Mbit link carries as non-converging`, async () => {
      const { api, inventory } = lab!;
      const vm = await bootInstance(api, inventory, {
        name: 'pred-busy',
        host: 'host-a',
        ip: '203.0.113.59',
        flavor: 'lab.micro',
        dirtyMiB: 32,
        dirtyPauseMs: 0,
      });
      await shapeMigrationLink('host-a', SLOW_LINK_MBIT);
      try {
        const res = await requestMigration(api, inventory, vm, 'host-b', {
          maxDowntimeMs: 100,
          downtimeSteps: 1,
          progressTimeoutSec: 0,
          completionTimeoutSecPerGiB: 4,
          timeoutAction: 'abort',
        });
        expect(res.status, JSON.stringify(res.body)).toBe(202);
        const done = (await waitForMigration(api, res.body.id)) as Predicted;
        console.log(`[prediction] busy guest on a ${SLOW_LINK_MBIT} Mbit link: ${describeRecord(done)}`);
        expect(done.prediction?.inputs?.bandwidthSource).toBe('link-shaped');
        expect(done.prediction?.inputs?.bandwidthBytesPerSec).toBe((SLOW_LINK_MBIT * 1e6) / 8);
        expect(done.prediction?.converges).toBe(false);
        expect(done.state).toBe('aborted');
      } finally {
        await shapeMigrationLink('host-a', null);
        await destroyGuest('pred-busy').catch(() => undefined);
      }
    }, 240_000);
  });
});
