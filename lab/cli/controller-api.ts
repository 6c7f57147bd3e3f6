/** A tiny REST client for tests and the demo that drive a controller over HTTP. */
export class ControllerApi {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async call<T = Record<string, unknown>>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: { Authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T };
  }

  async ok<T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const res = await this.call<T>(method, path, body);
    if (res.status >= 300) throw new Error(`${method} ${path} -> ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
    return res.body;
  }
}

export const TERMINAL = ['completed', 'unreachable', 'failed', 'aborted', 'rolled-back'];

export interface MigrationRecord {
  id: string;
  state: string;
  reportState: string;
  failureReason: string | null;
  phases: { phase: string; enteredAt: string; detail: string | null }[];
  sampleCount: number;
  hvDowntimeMs: number | null;
  hvTotalTimeMs: number | null;
  convergenceEvents: { atMs: number; action: string; detail: Record<string, unknown>; outcome: string }[];
  [key: string]: unknown;
}

/** Polls until the migration has ended and its report is no longer pending. */
export async function waitForMigration(api: ControllerApi, id: string, timeoutMs = 180_000): Promise<MigrationRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = await api.ok<MigrationRecord>('GET', `/migrations/${id}`);
    if (TERMINAL.includes(m.state) && m.reportState !== 'pending') return m;
    if (Date.now() > deadline) throw new Error(`migration ${id} still ${m.state} (report ${m.reportState}) after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function waitForState(api: ControllerApi, id: string, states: string[], timeoutMs = 60_000): Promise<MigrationRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = await api.ok<MigrationRecord>('GET', `/migrations/${id}`);
    if (states.includes(m.state)) return m;
    if (TERMINAL.includes(m.state) || Date.now() > deadline) throw new Error(`migration ${id} reached ${m.state}, not ${states.join('/')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
