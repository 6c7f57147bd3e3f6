import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FlavorAggregate } from '../../../src/reports/flavor-aggregates';
import { formatFlavorSummary, formatTable3 } from '../../../src/reports/flavor-table';
import { ControllerApi } from '../controller-api';
import { controllerLogFile, startControllerProcess } from '../controller-process';
import { registerLabInventory } from '../lab-inventory';
import { registerLabNetwork } from '../lab-network';
import { describeMigration, measureMigration } from '../measured-migration';

interface DemoFlags {
  out: string;
  port: number;
  keep: boolean;
}

// One guest per lab flavor, each with a modest dirtier so pre-copy has something to chase.
const GUESTS = [
  { flavor: 'lab.nano', dirtyMiB: 4 },
  { flavor: 'lab.micro', dirtyMiB: 16 },
  { flavor: 'lab.tiny', dirtyMiB: 32 },
  { flavor: 'lab.small', dirtyMiB: 64 },
];
const TOKEN = 'demo-operator-0123456789';

const log = (line: string) => process.stdout.write(`${line}\n`);

/** The main job: lab up, controller on SQLite, one migration per flavor with capture, table and report, lab down. */
export async function runDemo(flags: DemoFlags): Promise<boolean> {
  const lab = await import('../..');
  const outDir = resolve(flags.out, new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(outDir, { recursive: true });
  const release = await lab.acquireLabLock();
  let controller: Awaited<ReturnType<typeof startControllerProcess>> | undefined;
  let allCompleted = true;
  const crashes: string[] = [];
  try {
    const up = await lab.labUp({ hosts: 2, log });
    log(
      `lab up: ${up.hosts.length} hosts in ${(up.upMs / 1000).toFixed(1)} s (guest image ${up.imageBuilt ? 'built' : 'cached'}, ${(up.imageMs / 1000).toFixed(1)} s)`,
    );
    controller = await startControllerProcess({
      port: flags.port,
      logFile: controllerLogFile(outDir),
      env: {
        ...lab.controllerEnv(),
        LIVEMIG_MONITOR_INTERVAL_MS: '200',
        DATABASE_URL: `sqlite:${join(outDir, 'livemig.sqlite')}`,
        LIVEMIG_DATA_DIR: outDir,
        LIVEMIG_TOKENS: `${TOKEN}:operator`,
        LOG_LEVEL: 'info',
      },
    });
    log(`controller: ${controller.url} (SQLite in ${outDir})`);
    const api = new ControllerApi(controller.url, TOKEN);
    const inventory = await registerLabInventory(api);
    // Two tenant networks on a distributed router with a gateway outside: each guest gets a port and a floating IP.
    const net = await registerLabNetwork(api);
    log('tenant networks: 203.0.113.0/25 and 203.0.113.128/25 on a distributed router, floating IPs on 192.0.2.128/25');

    for (const [i, g] of GUESTS.entries()) {
      // A guest that crashes after switchover is reported, its record kept, and the flavor measured once more.
      for (let attempt = 1; attempt <= 2; attempt++) {
        const name = `demo-${g.flavor.replace('lab.', '')}${attempt > 1 ? `-${attempt}` : ''}`;
        const m = await measureMigration(
          api,
          inventory,
          net,
          {
            name,
            flavor: g.flavor,
            dirtyMiB: g.dirtyMiB,
            ip: `203.0.113.${60 + i * 2 + attempt - 1}`,
            from: 'host-a',
            to: 'host-b',
            // The guest's own turnaround after the resume, read on the destination's tap.
            tapCaptureDir: outDir,
          },
          log,
        );
        for (const line of describeMigration(m, 'host-a', 'host-b')) log(line);
        const done = m.record;
        if (m.crash === null) {
          allCompleted &&= done.state === 'completed';
          break;
        }
        crashes.push(`${name}: ${m.crash}`);
        log(`  ${name}: GUEST CRASH after the migration: ${m.crash} (its figures above include the crash)`);
        if (attempt === 2) allCompleted = false;
      }
    }

    const { flavors } = await api.ok<{ flavors: FlavorAggregate[] }>('GET', '/reports/flavors');
    const summary = formatFlavorSummary(flavors);
    const table3 = formatTable3(flavors);
    log('\nPer flavor over completed migrations (mean, p95 in brackets; network − hypervisor at p50 and p95 per path):\n');
    log(summary);
    log("The thesis's Table 3 (means):\n");
    log(table3);
    const page = await fetch(`${controller.url}/reports`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const htmlFile = join(outDir, 'report.html');
    writeFileSync(htmlFile, await page.text());
    writeFileSync(join(outDir, 'flavors.json'), JSON.stringify(flavors, null, 2));
    writeFileSync(join(outDir, 'flavors.txt'), `${summary}\n${table3}`);
    log(`report: ${htmlFile}`);
    if (crashes.length > 0) log(`guest crashes (kept in the records above, each flavor measured again): ${crashes.join('; ')}`);
  } finally {
    await controller?.stop();
    if (!flags.keep) {
      const down = await lab.labDown();
      log(`lab down: ${JSON.stringify(down)}`);
    }
    release();
  }
  return allCompleted;
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'bring the lab up, migrate one guest per flavor with capture and probes, print the per-flavor table, write the report, tear down',
    )
    .option('--out <dir>', 'where reports, captures and the SQLite file go', 'demo-output')
    .option('--port <n>', 'controller port', (v) => Number(v), 18080)
    .option('--keep', 'leave the lab up afterwards', false)
    .action(async (flags: DemoFlags) => {
      if (!(await runDemo(flags))) {
        process.stderr.write('livemig-lab demo: not every migration completed\n');
        process.exitCode = 1;
      }
    });
}
