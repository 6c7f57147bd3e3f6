// bench:convergence — one lab guest that dirties about as fast as a shaped migration link carries, migrated
// under libvirt's defaults, the named policies and livemig's default; then an idle guest over 1, 2 and 4 multifd
// channels on the unshaped link. Prints variant, converged, start, total, downtime, iterations, throughput,
// strategy and actions from the controller's records. First, the fast start: an idle guest with a port and a
// floating IP, request → first byte copied over three migrations. Needs root and the lab (the lab lock
// serialises runs).
//
//   npm run bench:convergence -- [--link-mbit 100] [--cap-sec 150] [--skip-multifd] [--fast-start-only] [--fast-start-without-port]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { acquireLabLock, controllerEnv, destroyGuest, labDown, labUp, shapeMigrationLink } from '../lab';
import { ControllerApi } from '../lab/cli/controller-api';
import { controllerLogFile, startControllerProcess } from '../lab/cli/controller-process';
import {
  formatRows,
  LIBVIRT_DEFAULTS,
  LIVEMIG_DEFAULT_VARIANT,
  MULTIFD_VARIANTS,
  NAMED_POLICIES,
  runVariant,
  type VariantRow,
} from '../lab/cli/convergence-runs';
import { fastStartRun, formatFastStartRows, type FastStartRow } from '../lab/cli/fast-start-runs';
import { bootInstance, registerLabInventory, type LabInventory } from '../lab/cli/lab-inventory';
import { registerLabNetwork } from '../lab/cli/lab-network';

const FAST_START_RUNS = 3;

/** Request → first byte on an idle lab.tiny guest with a port and a floating IP, host-a ↔ host-b. */
async function fastStart(api: ControllerApi, inventory: LabInventory, withPort: boolean): Promise<FastStartRow[]> {
  const net = withPort ? await registerLabNetwork(api) : null;
  const vm = await bootInstance(api, inventory, {
    name: 'conv-start',
    host: 'host-a',
    ip: '203.0.113.43',
    flavor: 'lab.tiny',
    dirtyMiB: 0,
    ...(net ? { port: { subnetId: net.subnetId, externalNetworkId: net.externalNetworkId } } : {}),
  });
  const rows: FastStartRow[] = [];
  let at = 'host-a';
  try {
    for (let i = 1; i <= FAST_START_RUNS; i++) {
      const to = at === 'host-a' ? 'host-b' : 'host-a';
      const { row, record } = await fastStartRun(api, inventory, vm, to, `${at} → ${to}`);
      rows.push(row);
      if (record.state === 'completed') at = to;
    }
  } finally {
    await destroyGuest('conv-start').catch(() => undefined);
  }
  return rows;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'link-mbit': { type: 'string', default: '100' },
      'cap-sec': { type: 'string', default: '150' },
      'skip-multifd': { type: 'boolean', default: false },
      'fast-start-only': { type: 'boolean', default: false },
      // Without a port there is no network to pre-plug: what is left is livemig's own start and libvirt's setup.
      'fast-start-without-port': { type: 'boolean', default: false },
    },
  });
  const linkMbit = Number(values['link-mbit']);
  const capMs = Number(values['cap-sec']) * 1000;
  const release = await acquireLabLock();
  const dataDir = mkdtempSync(join(tmpdir(), 'livemig-bench-convergence-'));
  const token = 'bench-convergence-token';
  let stop: (() => Promise<void>) | null = null;
  try {
    await labUp({ hosts: 2 });
    const controller = await startControllerProcess({
      port: 18_900 + (process.pid % 90),
      logFile: controllerLogFile(dataDir),
      env: {
        ...controllerEnv(),
        DATABASE_URL: `sqlite:${join(dataDir, 'livemig.sqlite')}`,
        LIVEMIG_DATA_DIR: dataDir,
        LIVEMIG_TOKENS: `${token}:operator`,
        LIVEMIG_CAPTURE_TAIL_MS: '1000',
        LIVEMIG_MONITOR_INTERVAL_MS: '500',
        LOG_LEVEL: 'info',
      },
    });
    stop = () => controller.stop();
    const api = new ControllerApi(controller.url, token);
    const inventory = await registerLabInventory(api);
    const rows: VariantRow[] = [];

    const withPort = !values['fast-start-without-port'];
    const startRows = await fastStart(api, inventory, withPort);
    console.log(`\nfast start: idle lab.tiny guest ${withPort ? 'with a port and a floating IP' : 'without a port'}, unshaped link\n`);
    console.log(formatFastStartRows(startRows));
    if (values['fast-start-only']) return;

    const busy = await bootInstance(api, inventory, {
      name: 'conv-busy',
      host: 'host-a',
      ip: '203.0.113.41',
      flavor: 'lab.small',
      dirtyMiB: 64,
      dirtyPauseMs: 0,
    });
    await shapeMigrationLink('host-a', linkMbit);
    await shapeMigrationLink('host-b', linkMbit);
    let at = 'host-a';
    for (const variant of [LIBVIRT_DEFAULTS, ...NAMED_POLICIES, LIVEMIG_DEFAULT_VARIANT]) {
      const to = at === 'host-a' ? 'host-b' : 'host-a';
      const { row, record } = await runVariant(api, inventory, busy, to, variant, capMs);
      rows.push(row);
      if (record.state === 'completed') at = to;
      console.error(`${variant.name}: ${row.state}`);
    }
    await shapeMigrationLink('host-a', null);
    await shapeMigrationLink('host-b', null);
    await destroyGuest('conv-busy').catch(() => undefined);

    if (!values['skip-multifd']) {
      const idle = await bootInstance(api, inventory, {
        name: 'conv-idle',
        host: 'host-a',
        ip: '203.0.113.42',
        flavor: 'lab.small',
        dirtyMiB: 0,
      });
      let idleAt = 'host-a';
      for (const variant of MULTIFD_VARIANTS) {
        const to = idleAt === 'host-a' ? 'host-b' : 'host-a';
        const { row, record } = await runVariant(api, inventory, idle, to, variant, capMs);
        rows.push(row);
        if (record.state === 'completed') idleAt = to;
      }
      rows.push({
        variant: 'multifd-zstd',
        state: 'not run',
        converged: false,
        startMs: null,
        firstByteMs: null,
        totalMs: null,
        downtimeMs: null,
        iterations: null,
        throughputMbps: null,
        strategy: null,
        actions: 'libvirt 9.0 passes no multifd compression (zstd needs libvirt 9.4)',
        unsupported: 0,
      });
      await destroyGuest('conv-idle').catch(() => undefined);
    }
    console.log(`\nlab.small guest, migration link shaped to ${linkMbit} Mbit/s (multifd rows: idle guest, unshaped)\n`);
    console.log(formatRows(rows));
  } finally {
    await shapeMigrationLink('host-a', null).catch(() => undefined);
    await shapeMigrationLink('host-b', null).catch(() => undefined);
    if (stop) await stop().catch(() => undefined);
    // The lab is shared: nothing of this run stays up.
    await labDown().catch(() => undefined);
    release();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
