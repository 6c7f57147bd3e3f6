/**
 * 1,000 concurrent GET /hosts against the controller on PostgreSQL, side by side with a bare baseline.
 * Starts the built controller and the bare node:http + pg server (bench/bare-hosts-server.ts: the same two
 * queries, the same pool size, the same JSON) as their own processes on one fresh database, seeds hosts,
 * fires the requests all at once in alternating rounds with the same client, and prints errors, latency
 * percentiles, req/s and livemig's throughput as a fraction of the baseline's.
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
const BARE_PORT = PORT + 1000;
// Issue 17's goal: livemig answers at least this fraction of the bare server's req/s.
const GOAL_RATIO = 0.7;
const TOKEN = 'bench-operator-0123456789';

interface Reply {
  status: number;
  ms: number;
  error?: string;
}

function call(agent: Agent, method: string, path: string, body?: unknown, port = PORT): Promise<Reply> {
  const started = process.hrtime.bigint();
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((done) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
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

async function waitHealthy(agent: Agent, port = PORT): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = await call(agent, 'GET', '/health', undefined, port);
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
  let bare: ChildProcess | undefined;
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
    bare = spawn(process.execPath, [resolve(__dirname, 'bare-hosts-server.js')], {
      env: { ...process.env, PORT: String(BARE_PORT), DATABASE_URL: dbUrl.toString() },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitHealthy(agent, BARE_PORT);
    const servers = [
      { label: 'livemig', port: PORT, all: [] as number[], errors: 0, wallMs: 0 },
      { label: 'bare', port: BARE_PORT, all: [] as number[], errors: 0, wallMs: 0 },
    ];
    for (const server of servers) {
      await Promise.all(Array.from({ length: 50 }, () => call(agent, 'GET', '/hosts?limit=50', undefined, server.port))); // warm-up
    }

    console.log(`GET /hosts?limit=50 on PostgreSQL: ${CONCURRENCY} concurrent requests × ${ROUNDS} rounds, ${HOSTS} hosts`);
    console.log('server   round  errors  p50 ms  p95 ms  p99 ms  max ms  wall ms  req/s');
    for (let round = 1; round <= ROUNDS; round++) {
      // Alternating rounds: drift of the machine hits both servers alike.
      for (const server of servers) {
        const started = Date.now();
        const replies = await Promise.all(
          Array.from({ length: CONCURRENCY }, () => call(agent, 'GET', '/hosts?limit=50', undefined, server.port)),
        );
        const wall = Date.now() - started;
        const errors = replies.filter((r) => r.status !== 200);
        server.errors += errors.length;
        server.wallMs += wall;
        const ms = replies.map((r) => r.ms).sort((a, b) => a - b);
        server.all.push(...ms);
        console.log(
          server.label.padEnd(8) +
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
              .map((v, i) => (i < 2 ? String(v) : v.toFixed(1)).padStart(i === 0 ? 6 : 7))
              .join(' '),
        );
        if (errors.length > 0) console.log(`  first error: status ${errors[0].status} ${errors[0].error ?? ''}`);
      }
    }
    const [mine, baseline] = servers.map((server) => {
      server.all.sort((a, b) => a - b);
      const reqPerS = (server.all.length / server.wallMs) * 1000;
      const p99Ms = percentile(server.all, 99);
      console.log(
        `${server.label.padEnd(8)} overall: ${server.all.length} requests, ${server.errors} errors, ${reqPerS.toFixed(1)} req/s, ` +
          `p50 ${percentile(server.all, 50).toFixed(1)} ms, p99 ${p99Ms.toFixed(1)} ms`,
      );
      return { reqPerS, p99Ms, errors: server.errors };
    });
    const ratio = mine.reqPerS / baseline.reqPerS;
    console.log(
      `ratio: livemig ${mine.reqPerS.toFixed(1)} req/s / bare ${baseline.reqPerS.toFixed(1)} req/s = ${ratio.toFixed(2)}× ` +
        `(goal ≥ ${GOAL_RATIO}×); p99 ${mine.p99Ms.toFixed(1)} ms vs ${baseline.p99Ms.toFixed(1)} ms`,
    );
    agent.destroy();
    if (mine.errors + baseline.errors > 0) process.exitCode = 1;
  } finally {
    controller?.kill('SIGTERM');
    bare?.kill('SIGTERM');
    await new Promise((t) => setTimeout(t, 500));
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
