import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A failure the operator can act on; the CLI prints its message and exits with its code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

export interface Connection {
  url: string;
  token: string | undefined;
}

/** LIVEMIG_URL / LIVEMIG_TOKEN, else the JSON config file (LIVEMIG_CONFIG or ~/.config/livemig/cli.json). */
export function connectionFrom(env: NodeJS.ProcessEnv = process.env): Connection {
  let file: { url?: unknown; token?: unknown } = {};
  const path = env.LIVEMIG_CONFIG ?? join(homedir(), '.config', 'livemig', 'cli.json');
  if (!env.LIVEMIG_URL || !env.LIVEMIG_TOKEN) {
    try {
      file = JSON.parse(readFileSync(path, 'utf8')) as typeof file;
    } catch (err) {
      // The default file is optional; one named in LIVEMIG_CONFIG must be there.
      if (env.LIVEMIG_CONFIG) throw new CliError(`cannot read config file ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const url = env.LIVEMIG_URL ?? (typeof file.url === 'string' ? file.url : undefined);
  if (!url) throw new CliError('no controller URL: set LIVEMIG_URL or "url" in the config file');
  try {
    new URL(url);
  } catch {
    throw new CliError(`LIVEMIG_URL is not a URL: ${url}`);
  }
  const token = env.LIVEMIG_TOKEN ?? (typeof file.token === 'string' ? file.token : undefined);
  return { url: url.replace(/\/+$/, ''), token };
}

/** The REST API through fetch: JSON in and out, errors as CliError with the server's reason. */
export class ApiClient {
  constructor(private readonly conn: Connection) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body, 'application/json');
    const text = await res.text();
    if (!res.ok) {
      let reason = text;
      try {
        reason = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        // not JSON: the text itself
      }
      throw new CliError(`${method} ${path}: ${res.status} ${reason}`, res.status === 404 ? 4 : 2);
    }
    return (text ? JSON.parse(text) : null) as T;
  }

  /** Server-sent events of a path, until the server ends the stream. */
  async *events(path: string): AsyncGenerator<{ type: string; data: unknown }> {
    const res = await this.send('GET', path, undefined, 'text/event-stream');
    if (!res.ok || !res.body) throw new CliError(`GET ${path}: ${res.status} ${await res.text()}`, res.status === 404 ? 4 : 2);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let type = 'message';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) type = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
        }
        if (data.length) yield { type, data: JSON.parse(data.join('\n')) as unknown };
      }
    }
  }

  private async send(method: string, path: string, body: unknown, accept: string): Promise<Response> {
    const headers: Record<string, string> = { Accept: accept };
    if (this.conn.token) headers.Authorization = `Bearer ${this.conn.token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      return await fetch(`${this.conn.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
      throw new CliError(`cannot reach the controller at ${this.conn.url}: ${cause}`, 3);
    }
  }
}
