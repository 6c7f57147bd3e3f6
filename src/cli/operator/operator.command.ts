import type { Command } from 'commander';
import { MAX_LIMIT } from '../../common/http/page';
import { ApiClient, CliError, connectionFrom } from './api-client';
import { exitCodeOf, progressLine, type SampleFigures } from './progress-line';

interface Named {
  id: string;
  name: string;
}
interface Migration {
  id: string;
  state: string;
  instanceName?: string;
  failureReason?: string | null;
  hvDowntimeMs?: number | null;
  hvTotalTimeMs?: number | null;
  hvIterations?: number | null;
  netDowntimeMs?: number | null;
  [key: string]: unknown;
}
type Out = (text: string) => void;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TERMINAL = ['completed', 'failed', 'aborted', 'rolled-back'];

/** An id as given, or the id of the one item of that name, looked for on every page. */
async function resolve(api: ApiClient, kind: 'instances' | 'hosts', given: string): Promise<string> {
  if (UUID.test(given)) return given;
  const found: Named[] = [];
  for (let page = 1, seen = 0; ; page++) {
    const answer = await api.request<{ items: Named[]; total: number }>('GET', `/${kind}?limit=${MAX_LIMIT}&page=${page}`);
    found.push(...answer.items.filter((i) => i.name === given));
    seen += answer.items.length;
    if (answer.items.length < MAX_LIMIT || seen >= answer.total) break;
  }
  if (found.length !== 1) throw new CliError(`${kind.slice(0, -1)} ${given}: ${found.length ? 'ambiguous name' : 'not found'}`, 4);
  return found[0].id;
}

function figures(m: Migration): string {
  const f = (v: unknown, unit: string) => (typeof v === 'number' ? `${v} ${unit}` : '—');
  return [
    `state            ${m.state}${m.failureReason ? ` (${m.failureReason})` : ''}`,
    `total time       ${f(m.hvTotalTimeMs, 'ms')}`,
    `downtime (hv)    ${f(m.hvDowntimeMs, 'ms')}`,
    `downtime (net)   ${f(m.netDowntimeMs, 'ms')}`,
    `iterations       ${f(m.hvIterations, '')}`.trimEnd(),
  ].join('\n');
}

/** Follows a migration's events with a live line on a terminal; returns its final record. */
async function follow(api: ApiClient, id: string, json: boolean, out: Out, tty: boolean): Promise<Migration> {
  let phase = 'queued';
  let last: SampleFigures = {};
  let shown = '';
  for await (const e of api.events(`/migrations/${id}/events`)) {
    if (e.type === 'phase') phase = (e.data as { phase: string }).phase;
    else if (e.type === 'sample') last = e.data as SampleFigures;
    else continue;
    if (json) out(JSON.stringify({ event: e.type, ...(e.data as object) }));
    else {
      const line = progressLine(phase, last);
      // A log (not a terminal) gets a line only when something changed.
      if (tty) out(`\r${line}\x1b[K`);
      else if (line !== shown) out(`${line}\n`);
      shown = line;
    }
    if (TERMINAL.includes(phase)) break;
  }
  if (!json && tty) out('\n');
  return api.request<Migration>('GET', `/migrations/${id}`);
}

export interface OperatorIo {
  out: Out;
  tty: boolean;
  setExitCode: (code: number) => void;
}

const defaultIo = (): OperatorIo => ({
  out: (t) => process.stdout.write(t.endsWith('\n') || t.startsWith('\r') ? t : `${t}\n`),
  tty: Boolean(process.stdout.isTTY),
  setExitCode: (c) => (process.exitCode = c),
});

export function registerOperatorCommands(program: Command, io: OperatorIo = defaultIo()): void {
  const api = () => new ApiClient(connectionFrom());
  const print = (json: boolean, value: unknown, text: () => string) => io.out(json ? JSON.stringify(value, null, 2) : text());

  program
    .command('migrate <instance>')
    .description('live-migrate an instance (id or name) and follow it to the end; exit 0 only when completed')
    .option('--to <host>', 'destination host (id or name); default: the scheduler picks')
    .option('--policy <name>', 'named convergence policy')
    .option('--json', 'one JSON object per event, then the record')
    .action(async (instance: string, o: { to?: string; policy?: string; json?: boolean }) => {
      const client = api();
      const body: Record<string, string> = { instanceId: await resolve(client, 'instances', instance) };
      if (o.to) body.destinationHostId = await resolve(client, 'hosts', o.to);
      if (o.policy) body.policyName = o.policy;
      const created = await client.request<Migration>('POST', '/migrations', body);
      if (!o.json) io.out(`migration ${created.id} queued\n`);
      const done = await follow(client, created.id, Boolean(o.json), io.out, io.tty);
      print(Boolean(o.json), done, () => figures(done));
      io.setExitCode(exitCodeOf(done.state));
    });

  const migrations = program.command('migrations').description('list, show or abort migrations');
  migrations
    .command('list')
    .option('--state <state>', 'only this state')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'JSON output')
    .action(async (o: { state?: string; limit: string; json?: boolean }) => {
      if (!/^\d+$/.test(o.limit)) throw new CliError(`--limit must be a whole number, got ${o.limit}`);
      const query = new URLSearchParams({ limit: o.limit, ...(o.state ? { state: o.state } : {}) });
      const page = await api().request<{ items: Migration[] }>('GET', `/migrations?${query.toString()}`);
      print(
        Boolean(o.json),
        page.items,
        () => page.items.map((m) => `${m.id}  ${m.state.padEnd(11)}  ${m.instanceName ?? ''}`).join('\n') || 'no migrations',
      );
    });
  migrations
    .command('show <id>')
    .option('--json', 'JSON output')
    .action(async (id: string, o: { json?: boolean }) => {
      const m = await api().request<Migration>('GET', `/migrations/${encodeURIComponent(id)}`);
      print(Boolean(o.json), m, () => `${m.id} ${m.instanceName ?? ''}\n${figures(m)}`);
    });
  migrations
    .command('abort <id>')
    .option('--json', 'JSON output')
    .action(async (id: string, o: { json?: boolean }) => {
      const m = await api().request<Migration>('POST', `/migrations/${encodeURIComponent(id)}/abort`);
      print(Boolean(o.json), m, () => `abort requested for ${id} (state ${m.state})`);
    });

  program
    .command('drain <host>')
    .description('move every guest off a host (id or name), following each move; --dry-run shows the plan')
    .option('--dry-run', 'plan only')
    .option('--json', 'JSON output')
    .action(async (host: string, o: { dryRun?: boolean; json?: boolean }) => {
      const client = api();
      const hostId = await resolve(client, 'hosts', host);
      const drain = await client.request<{ id: string; state: string; moves?: unknown[] }>('POST', `/hosts/${hostId}/drain`, {
        dryRun: Boolean(o.dryRun),
      });
      if (o.dryRun) return print(Boolean(o.json), drain, () => JSON.stringify(drain, null, 2));
      let state = drain.state;
      for await (const e of client.events(`/drains/${drain.id}/events`)) {
        if (o.json) io.out(JSON.stringify({ event: e.type, ...(e.data as object) }));
        else if (e.type === 'move') {
          const m = e.data as { instanceName: string; outcome: string; reason: string | null };
          io.out(`${m.instanceName.padEnd(24)} ${m.outcome}${m.reason ? ` (${m.reason})` : ''}\n`);
        }
        if (e.type === 'state') state = (e.data as { state: string }).state;
        if (['completed', 'cancelled', 'failed'].includes(state)) break;
      }
      if (!o.json) io.out(`drain ${drain.id}: ${state}\n`);
      io.setExitCode(state === 'completed' ? 0 : 1);
    });

  program
    .command('report <id>')
    .description("a migration's report")
    .option('--format <format>', 'table, json or csv', 'table')
    .action(async (id: string, o: { format: string }) => {
      if (!['table', 'json', 'csv'].includes(o.format)) throw new CliError(`--format must be table, json or csv, got ${o.format}`);
      const report = await api().request<Record<string, unknown>>('GET', `/migrations/${encodeURIComponent(id)}/report`);
      const flat = flatten(report);
      if (o.format === 'json') io.out(JSON.stringify(report, null, 2));
      else if (o.format === 'csv') io.out(`field,value\n${flat.map(([k, v]) => `${k},${csvCell(v)}`).join('\n')}`);
      else io.out(flat.map(([k, v]) => `${k.padEnd(36)} ${v}`).join('\n'));
    });
}

/** Leaves of a report as dotted paths (arrays and notes left out of the flat view). */
function flatten(value: Record<string, unknown>, prefix = ''): [string, string][] {
  return Object.entries(value).flatMap(([k, v]): [string, string][] => {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return flatten(v as Record<string, unknown>, key);
    if (Array.isArray(v)) return [];
    return [[key, typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '']];
  });
}

function csvCell(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
