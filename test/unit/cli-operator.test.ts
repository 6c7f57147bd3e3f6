import { Command } from 'commander';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/operator/api-client';
import { registerOperatorCommands } from '../../src/cli/operator/operator.command';
import { progressLine } from '../../src/cli/operator/progress-line';

const MIG = '11111111-2222-4333-8444-555555555555';
const VM = 'aaaaaaaa-2222-4333-8444-555555555555';
const HOST = 'bbbbbbbb-2222-4333-8444-555555555555';

/** A fake controller: records requests and answers the operator's routes. */
let finalState = 'completed';
const seen: { method: string; url: string; body: string; auth: string | undefined }[] = [];
function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
  seen.push({ method: req.method ?? '', url: req.url ?? '', body, auth: req.headers.authorization });
  const json = (status: number, value: unknown): void =>
    void res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
  if (req.method === 'GET' && req.url?.startsWith('/hosts')) {
    // As the controller: at most 500 a page; the host asked for is on the second.
    const query = new URL(req.url, 'http://fake').searchParams;
    const limit = Number(query.get('limit') ?? 50);
    if (limit > 500) return json(400, { message: 'invalid fields: limit' });
    const all = [...Array.from({ length: 500 }, (_, i) => ({ id: `filler-${i}`, name: `cmp-filler-${i}` })), { id: HOST, name: 'cmp-2' }];
    const page = Number(query.get('page') ?? 1);
    return json(200, { items: all.slice((page - 1) * limit, page * limit), total: all.length, page, limit });
  }
  if (req.method === 'POST' && req.url === '/migrations') return json(202, { id: MIG, state: 'queued' });
  if (req.url === `/migrations/${MIG}/events`) {
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    const events = [
      ['phase', { phase: 'pre-copy' }],
      ['sample', { dataTotalBytes: 100 * 1048576, dataRemainingBytes: 50 * 1048576, memoryIteration: 1, dirtyRatePagesPerSec: 300 }],
      [
        'sample', // the same figures again: no second line
        { dataTotalBytes: 100 * 1048576, dataRemainingBytes: 50 * 1048576, memoryIteration: 1, dirtyRatePagesPerSec: 300 },
      ],
      ['sample', { dataTotalBytes: 100 * 1048576, dataRemainingBytes: 10 * 1048576, memoryIteration: 2, dirtyRatePagesPerSec: 250 }],
      ['phase', { phase: finalState }],
    ];
    for (const [type, data] of events) res.write(`event: ${type as string}\ndata: ${JSON.stringify(data)}\n\n`);
    return void res.end();
  }
  if (req.url === `/migrations/${MIG}`)
    return json(200, {
      id: MIG,
      state: finalState,
      instanceName: 'vm-1',
      hvDowntimeMs: 42,
      hvTotalTimeMs: 2100,
      hvIterations: 3,
      netDowntimeMs: 61,
    });
  if (req.url?.startsWith('/migrations?')) return json(200, { items: [{ id: MIG, state: 'completed', instanceName: 'vm-1' }] });
  if (req.url === `/migrations/${MIG}/report`) return json(200, { id: MIG, downtime: { networkMs: 61, hypervisorMs: 42 }, notes: ['x'] });
  json(404, { message: `no route ${req.url}` });
}

const emptyConfig = join(mkdtempSync(join(tmpdir(), 'livemig-cli-')), 'cli.json');
writeFileSync(emptyConfig, '{}');

let server: Server;
let url = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handle(req, res, body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
afterEach(() => {
  seen.length = 0;
  finalState = 'completed';
  delete process.env.LIVEMIG_URL;
  delete process.env.LIVEMIG_TOKEN;
  delete process.env.LIVEMIG_CONFIG;
});

async function run(args: string[], env: Record<string, string> = { LIVEMIG_URL: url, LIVEMIG_TOKEN: 'op-token' }) {
  delete process.env.LIVEMIG_URL;
  delete process.env.LIVEMIG_TOKEN;
  Object.assign(process.env, { LIVEMIG_CONFIG: emptyConfig, ...env });
  let out = '';
  let exitCode: number | undefined;
  const program = new Command('livemig').exitOverride();
  registerOperatorCommands(program, {
    out: (t) => (out += t.endsWith('\n') ? t : `${t}\n`),
    tty: false,
    setExitCode: (c) => (exitCode = c),
  });
  let error: unknown = null;
  try {
    await program.parseAsync(['node', 'livemig', ...args]);
  } catch (err) {
    error = err;
  }
  return { out, exitCode, error };
}

describe('livemig operator commands against a fake controller', () => {
  it('migrates with the token, names resolved, a progress line per event and the figures at the end; exit 0', async () => {
    const r = await run(['migrate', VM, '--to', 'cmp-2', '--policy', 'steady']);
    expect(r.error).toBeNull();
    expect(r.exitCode).toBe(0);
    const post = seen.find((s) => s.method === 'POST')!;
    expect(JSON.parse(post.body)).toEqual({ instanceId: VM, destinationHostId: HOST, policyName: 'steady' });
    expect(post.auth).toBe('Bearer op-token');
    expect(r.out).toMatch(/pre-copy\s+\[#{12}\.{12}\]\s+50%\s+remaining 50\.0 MiB\s+iteration 1\s+dirty 300 pages\/s/);
    expect(r.out).toMatch(/remaining 10\.0 MiB\s+iteration 2/);
    expect(r.out.match(/remaining 50\.0 MiB/g)).toHaveLength(1);
    expect(r.out).toMatch(/downtime \(hv\)\s+42 ms/);
    expect(r.out).toMatch(/state\s+completed/);
  });

  it('exits 1 when the migration fails, and writes JSON lines with --json', async () => {
    finalState = 'failed';
    const r = await run(['migrate', VM, '--json']);
    expect(r.exitCode).toBe(1);
    const lines = r.out.trim().split('\n');
    expect(JSON.parse(lines[0])).toEqual({ event: 'phase', phase: 'pre-copy' });
    expect(r.out).toContain('"state": "failed"');
  });

  it('lists migrations as JSON and the report as CSV', async () => {
    const list = await run(['migrations', 'list', '--json']);
    expect(JSON.parse(list.out)).toEqual([{ id: MIG, state: 'completed', instanceName: 'vm-1' }]);
    const csv = await run(['report', MIG, '--format', 'csv']);
    expect(csv.out.split('\n')).toEqual(expect.arrayContaining(['field,value', 'downtime.networkMs,61', 'downtime.hypervisorMs,42']));
  });

  it('says what is wrong for bad input, an unknown host, no URL and an unreachable controller', async () => {
    const format = await run(['report', MIG, '--format', 'xml']);
    expect(format.error).toBeInstanceOf(CliError);
    expect((format.error as CliError).message).toMatch(/--format must be table, json or csv/);
    const host = await run(['migrate', VM, '--to', 'nowhere']);
    expect((host.error as CliError).message).toBe('host nowhere: not found');
    expect((host.error as CliError).exitCode).toBe(4);
    const noUrl = await run(['migrations', 'list'], {});
    expect((noUrl.error as CliError).message).toMatch(/set LIVEMIG_URL/);
    const down = await run(['migrations', 'list'], { LIVEMIG_URL: 'http://127.0.0.1:9' });
    expect((down.error as CliError).message).toMatch(/cannot reach the controller at http:\/\/127\.0\.0\.1:9/);
    expect((down.error as CliError).exitCode).toBe(3);
    const missing = await run(['migrations', 'show', 'no-such-id']);
    expect((missing.error as CliError).exitCode).toBe(4);
  });

  it('draws the bar from remaining and total bytes', () => {
    expect(progressLine('pre-copy', { dataTotalBytes: 4, dataRemainingBytes: 1 }, 4)).toMatch(/^pre-copy\s+\[###\.\]\s+75%/);
    expect(progressLine('queued', {}, 4)).toMatch(/\[\.\.\.\.\]\s+0%/);
  });

  it('shows a completed migration full, whatever its last sample said', () => {
    expect(progressLine('completed', { dataTotalBytes: 4, dataRemainingBytes: 2, memoryIteration: 3 }, 4)).toMatch(
      /^completed\s+\[####\]\s+100%\s+remaining 0\.0 MiB\s+iteration 3/,
    );
    expect(progressLine('failed', { dataTotalBytes: 4, dataRemainingBytes: 2 }, 4)).toMatch(/50%\s+remaining 0\.0 MiB/);
  });

  it('says the copy has not started while libvirt still reports zeros, rather than 0 MiB remaining', () => {
    const line = progressLine('pre-copy', { dataTotalBytes: 0, dataRemainingBytes: 0, memoryIteration: 0, dirtyRatePagesPerSec: 0 }, 4);
    expect(line).toMatch(/0%\s+waiting for the copy to start$/);
    expect(line).not.toMatch(/remaining|iteration|dirty/);
  });
});
