// A controller run as its own process against the lab, as in production, with a SQLite file the test can read.
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controllerEnv } from '../../../lab';
import { ControllerApi, type MigrationRecord } from '../../../lab/cli/controller-api';
import { controllerLogFile, startControllerProcess, type ControllerProcess } from '../../../lab/cli/controller-process';
import { registerLabInventory, type LabInstance, type LabInventory } from '../../../lab/cli/lab-inventory';

export interface LabController {
  process: ControllerProcess;
  api: ControllerApi;
  /** The operator token the controller was started with. */
  token: string;
  inventory: LabInventory;
  dataDir: string;
  dbFile: string;
}

/** Starts the controller from the build on its own SQLite file and registers the lab hosts and flavors. */
export async function startLabController(opts: { name: string; basePort: number; env?: Record<string, string> }): Promise<LabController> {
  const dataDir = mkdtempSync(join(tmpdir(), `livemig-${opts.name}-`));
  const dbFile = join(dataDir, 'livemig.sqlite');
  const token = `${opts.name}-operator-token`;
  const process_ = await startControllerProcess({
    port: opts.basePort + (process.pid % 300),
    logFile: controllerLogFile(dataDir),
    env: {
      ...controllerEnv(),
      DATABASE_URL: `sqlite:${dbFile}`,
      LIVEMIG_DATA_DIR: dataDir,
      LIVEMIG_TOKENS: `${token}:operator`,
      LIVEMIG_CAPTURE_TAIL_MS: '1000',
      LIVEMIG_MONITOR_INTERVAL_MS: '200',
      LOG_LEVEL: 'info',
      ...opts.env,
    },
  });
  const api = new ControllerApi(process_.url, token);
  const inventory = await registerLabInventory(api);
  return { process: process_, api, token, inventory, dataDir, dbFile };
}

/** Reservations still open in the controller's database. */
export function openReservations(dbFile: string): number {
  const db = new Database(dbFile, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM reservations WHERE released_at IS NULL').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** POST /migrations; the caller checks the 202. */
export async function requestMigration(
  api: ControllerApi,
  inventory: LabInventory,
  instance: LabInstance,
  to: string,
  policy?: Record<string, unknown>,
  // The engine tests' overrides are written against Nova's schedule; the default policy is asked for by name.
  policyName = 'nova-default',
) {
  return api.call<MigrationRecord>('POST', '/migrations', {
    instanceId: instance.instanceId,
    destinationHostId: inventory.hostIds[to],
    policyName,
    ...(policy ? { policy } : {}),
  });
}
