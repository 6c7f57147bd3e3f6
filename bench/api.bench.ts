/**
 * 1,000 concurrent GET /hosts against the controller on PostgreSQL.
 * Starts the built controller as its own process on a fresh database, seeds hosts,
 * fires the requests all at once (several rounds), and prints errors and latency percentiles.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request, Agent } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

const ADMIN_URL = process.env.LIVEMIG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const HOSTS = 100;
const PORT = 18_000 + (process.pid % 1000);
const TOKEN = 'bench-operator-0123456789';

interface Reply {
  status: number;
  ms: number;
  error?: string;
}

function call(agent: Agent, method: string, path: string, body?: unknown): Promise<Reply> {
  const started = process.hrtime.bigint();
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((done) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: PORT,
        method,
        path,
        agent,
        headers: { Authorization: `Bearer ${TOKEN}`, ...(payload ? { 'Content-Type': 'application/json' } : {}) },
      },
      (res) => {
        res.resume();
        res.on('end', () => done({ status: res.statusCode ?? 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
      },
    );
    req.on('error', (err) => done({ status: 0, ms: Number(process.hrtime.bigint() - started) / 1e6, error: err.message }));
    req.end(payload);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function waitHealthy(agent: Agent): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = await call(agent, 'GET', '/health');
    if (r.status === 200) return;
    await new Promise((t) => setTimeout(t, 200));
  }
  throw new Error('controller did not become healthy');
}

async function main(): Promise<void> {
  const dbName = `livemig_bench_${process.pid}`;
  await admin(`CREATE DATABASE ${dbName}`);
  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/${dbName}`;
  let controller: ChildProcess | undefined;
  try {
    controller = spawn(process.execPath, [resolve(__dirname, '../src/main.js')], {
      env: {
        ...process.env,
        PORT: String(PORT),
        DATABASE_URL: dbUrl.toString(),
        LIVEMIG_TOKENS: `${TOKEN}:operator`,
        LOG_LEVEL: 'warn',
        LIVEMIG_DATA_DIR: mkdtempSync(join(tmpdir(), 'livemig-bench-')),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    await waitHealthy(agent);
    for (let i = 0; i < HOSTS; i++) {
      const r = await call(agent, 'POST', '/hosts', {
        name: `bench-${i}`,
        libvirtUri: `qemu+tcp://192.0.2.${(i % 250) + 1}/system`,
        migrationAddress: `192.0.2.${(i % 250) + 1}`,
        migrationInterface: 'mig0',
        instancesPath: '/var/lib/nova/instances',
        vcpus: 32,
        memoryMiB: 131072,
      });
      if (r.status !== 201) throw new Error(`seeding host ${i} answered ${r.status}`);
    }
    await Promise.all(Array.from({ length: 50 }, () => call(agent, 'GET', '/hosts?limit=50'))); // warm-up

    console.log(`GET /hosts?limit=50 on PostgreSQL: ${CONCURRENCY} concurrent requests × ${ROUNDS} rounds, ${HOSTS} hosts`);
    console.log('round  errors  p50 ms  p95 ms  p99 ms  max ms  wall ms  req/s');
    let totalErrors = 0;
    const all: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const started = Date.now();
      const replies = await Promise.all(Array.from({ length: CONCURRENCY }, () => call(agent, 'GET', '/hosts?limit=50')));
      const wall = Date.now() - started;
      const errors = replies.filter((r) => r.status !== 200);
      totalErrors += errors.length;
      const ms = replies.map((r) => r.ms).sort((a, b) => a - b);
      all.push(...ms);
      console.log(
        [
          round,
          errors.length,
          percentile(ms, 50),
          percentile(ms, 95),
          percentile(ms, 99),
          ms[ms.length - 1],
          wall,
          (CONCURRENCY / wall) * 1000,
        ]
          .map((v, i) => (i < 2 ? String(v) : v.toFixed(1)).padStart(i === 0 ? 5 : 7))
          .join(' '),
      );
      if (errors.length > 0) console.log(`  first error: status ${errors[0].status} ${errors[0].error ?? ''}`);
    }
    all.sort((a, b) => a - b);
    console.log(
      `overall: ${all.length} requests, ${totalErrors} errors, p50 ${percentile(all, 50).toFixed(1)} ms, p99 ${percentile(all, 99).toFixed(1)} ms`,
    );
    agent.destroy();
    if (totalErrors > 0) process.exitCode = 1;
  } finally {
    controller?.kill('SIGTERM');
    await new Promise((t) => setTimeout(t, 500));
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
