// bench:switchover — N lab migrations per flavor through the controller, captured and probed east-west and
// north-south, and for each path the network's downtime against the hypervisor's pause: p50/p95 of
// network − hypervisor, and of the time from the end of the pause to the first answered probe.
// Needs root and the lab (the lab lock serialises runs).
//
//   npm run bench:switchover -- [--per-flavor 3] [--flavors lab.nano,lab.micro,lab.tiny,lab.small]
//                               [--mode dvr|legacy] [--policy NAME] [--load N]
//
// --mode legacy puts the tenant router on a third host (host-c), a central router as before DVR;
// --policy post-copy measures post-copy switchovers; --load N boots N busy guests on each of host-a and
// host-b first, so the two cores are contended as on a loaded compute host.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { acquireLabLock, controllerEnv, destroyGuest, labDown, labUp } from '../lab';
import { ControllerApi } from '../lab/cli/controller-api';
import { controllerLogFile, startControllerProcess } from '../lab/cli/controller-process';
import { bootInstance, registerLabInventory } from '../lab/cli/lab-inventory';
import { registerLabNetwork } from '../lab/cli/lab-network';
import { describeMigration, measureMigration, type MeasuredMigration } from '../lab/cli/measured-migration';
import { percentileSorted } from '../src/analysis/core/stats';

const DIRTY_MIB: Record<string, number> = { 'lab.nano': 4, 'lab.micro': 16, 'lab.tiny': 32, 'lab.small': 64 };
const TOKEN = 'bench-switchover-token-0123';
const log = (line: string) => process.stdout.write(`${line}\n`);

interface Row {
  flavor: string;
  m: MeasuredMigration;
}

function pct(values: readonly (number | null | undefined)[], p: number): number | null {
  const v = values.filter((x): x is number => typeof x === 'number').sort((a, b) => a - b);
  return percentileSorted(v, p);
}
const f = (v: number | null) => (v === null ? '—' : v.toFixed(0));

function table(rows: readonly Row[], flavors: readonly string[]): string {
  const head = [
    'flavor',
    'n',
    'done',
    'crash',
    'hv p50',
    'EW−hv p50',
    'EW−hv p95',
    'NS−hv p50',
    'NS−hv p95',
    'pause(ev) p50',
    'EW−pause p95',
    'NS−pause p95',
    'EW 1st reply p50/p95',
    'NS 1st reply p50/p95',
    'req@tap p50',
    'guest turn p50/p95',
    'warm turn p50',
  ];
  const lines = [head];
  const groups = [...flavors.map((fl) => [fl, rows.filter((r) => r.flavor === fl)] as const), ['all', rows] as const];
  for (const [flavor, g] of groups) {
    // Only completed migrations without a crash count: an unreachable guest is its own outcome.
    const ok = g.filter((r) => r.m.record.state === 'completed' && r.m.crash === null);
    const d = (k: string) => ok.map((r) => r.m.report.downtime[k]);
    const tap = (k: 'requestAtTapFromPauseEndMs' | 'firstTurnaroundMs' | 'steadyTurnaroundMs') => ok.map((r) => r.m.guestTap?.[k] ?? null);
    const first = (stream: string) =>
      ok.map((r) => r.m.report.switchover?.streams.find((s) => s.stream === stream)?.firstReplyAfterPauseMs ?? null);
    lines.push([
      flavor,
      String(g.length),
      String(ok.length),
      String(g.filter((r) => r.m.crash !== null).length),
      f(pct(d('hypervisorMs'), 50)),
      f(pct(d('eastWestMinusHvMs'), 50)),
      f(pct(d('eastWestMinusHvMs'), 95)),
      f(pct(d('northSouthMinusHvMs'), 50)),
      f(pct(d('northSouthMinusHvMs'), 95)),
      f(pct(d('pauseFromEventsMs'), 50)),
      f(pct(d('eastWestMinusPauseMs'), 95)),
      f(pct(d('northSouthMinusPauseMs'), 95)),
      `${f(pct(first('east-west'), 50))}/${f(pct(first('east-west'), 95))}`,
      `${f(pct(first('north-south'), 50))}/${f(pct(first('north-south'), 95))}`,
      f(pct(tap('requestAtTapFromPauseEndMs'), 50)),
      `${f(pct(tap('firstTurnaroundMs'), 50))}/${f(pct(tap('firstTurnaroundMs'), 95))}`,
      f(pct(tap('steadyTurnaroundMs'), 50)),
    ]);
  }
  const widths = head.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  return lines.map((l) => l.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'per-flavor': { type: 'string', default: '3' },
      flavors: { type: 'string', default: 'lab.nano,lab.micro,lab.tiny,lab.small' },
      mode: { type: 'string', default: 'dvr' },
      policy: { type: 'string' },
      load: { type: 'string', default: '0' },
      /** Capture on the destination's tap: the guest's own turnaround after the resume. */
      'guest-tap': { type: 'string', default: 'on' },
    },
  });
  const perFlavor = Number(values['per-flavor']);
  const load = Number(values.load);
  const flavors = (values.flavors ?? '').split(',').filter(Boolean);
  const mode = values.mode;
  if (!Number.isInteger(perFlavor) || perFlavor < 1 || perFlavor > 50) throw new Error('--per-flavor: an integer 1..50');
  if (!Number.isInteger(load) || load < 0 || load > 4) throw new Error('--load: an integer 0..4');
  if (mode !== 'dvr' && mode !== 'legacy') throw new Error('--mode: dvr or legacy');
  if (values['guest-tap'] !== 'on' && values['guest-tap'] !== 'off') throw new Error('--guest-tap: on or off');
  for (const fl of flavors) if (!(fl in DIRTY_MIB)) throw new Error(`--flavors: unknown flavor ${fl}`);

  const release = await acquireLabLock();
  const dataDir = mkdtempSync(join(tmpdir(), 'livemig-bench-switchover-'));
  let controller: Awaited<ReturnType<typeof startControllerProcess>> | undefined;
  const loadGuests: string[] = [];
  const rows: Row[] = [];
  try {
    await labUp({ hosts: mode === 'legacy' ? 3 : 2, log });
    controller = await startControllerProcess({
      port: 18_000 + (process.pid % 1000),
      logFile: controllerLogFile(dataDir),
      env: {
        ...controllerEnv(),
        LIVEMIG_MONITOR_INTERVAL_MS: '200',
        DATABASE_URL: `sqlite:${join(dataDir, 'livemig.sqlite')}`,
        LIVEMIG_DATA_DIR: dataDir,
        LIVEMIG_TOKENS: `${TOKEN}:operator`,
        LOG_LEVEL: 'warn',
      },
    });
    const api = new ControllerApi(controller.url, TOKEN);
    const inventory = await registerLabInventory(api);
    const net = await registerLabNetwork(api, mode === 'legacy' ? { distributed: false, legacyHostId: inventory.hostIds['host-c'] } : {});
    for (let k = 0; k < load; k++)
      for (const [j, host] of ['host-a', 'host-b'].entries()) {
        const vm = await bootInstance(api, inventory, {
          name: `load-${host}-${k}`,
          host,
          ip: `203.0.113.${40 + k * 2 + j}`,
          flavor: 'lab.nano',
          dirtyMiB: 64,
          dirtyPauseMs: 0,
          port: { subnetId: net.subnetId },
        });
        loadGuests.push(vm.domainName);
      }
    log(
      `bench:switchover: ${perFlavor} per flavor, mode ${mode}, policy ${values.policy ?? 'livemig-default'}, ${loadGuests.length} load guests`,
    );
    let ipIndex = 0;
    for (const flavor of flavors)
      for (let k = 0; k < perFlavor; k++) {
        // Alternate the direction so each guest starts on the host the last one left.
        const [from, to] = k % 2 === 0 ? ['host-a', 'host-b'] : ['host-b', 'host-a'];
        const name = `sw-${flavor.replace('lab.', '')}-${k + 1}`;
        const m = await measureMigration(
          api,
          inventory,
          net,
          {
            name,
            flavor,
            dirtyMiB: DIRTY_MIB[flavor] ?? 16,
            ip: `203.0.113.${60 + (ipIndex++ % 40)}`,
            from,
            to,
            ...(values.policy ? { policyName: values.policy } : {}),
            ...(values['guest-tap'] === 'on' ? { tapCaptureDir: dataDir } : {}),
          },
          log,
        );
        for (const line of describeMigration(m, from, to)) log(line);
        if (m.crash) log(`    GUEST CRASH: ${m.crash}`);
        rows.push({ flavor, m });
      }
    log(`\nnetwork − hypervisor downtime and first answered probe after the pause's end (ms), mode ${mode}:`);
    log(`(req@tap: the first request the guest answered reached its tap, from the pause's end; guest turn: how long the`);
    log(`resumed guest took to answer it; warm turn: the same 1 s later. First reply − guest turn ≈ the network's part.)\n`);
    log(table(rows, flavors));
  } finally {
    for (const name of loadGuests) await destroyGuest(name).catch(() => undefined);
    await controller?.stop();
    await labDown();
    release();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:switchover: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
