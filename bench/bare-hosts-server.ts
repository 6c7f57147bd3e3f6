/**
 * The baseline of bench:api: a bare node:http + pg server answering GET /hosts?limit=&page= with the same
 * page livemig answers — the same two queries on the same table (the page by name, and the count), the
 * same pool size, the same JSON fields (agent_token left out) — and nothing else: no auth, no headers,
 * no validation beyond parsing the two numbers, no metrics, no logging.
 * Run as its own process: PORT and DATABASE_URL from the environment.
 */
import { createServer } from 'node:http';
import { Pool } from 'pg';

// livemig's own pool size (src/database/data-source-options.ts).
const POOL_SIZE = 20;

interface HostRow {
  id: string;
  name: string;
  libvirt_uri: string;
  migration_address: string;
  migration_interface: string;
  instances_path: string;
  vcpus: number;
  memory_mib: number;
  state: string;
  agent_endpoint: string | null;
  vtep_ip: string | null;
  agent_state: string | null;
  agent_last_seen_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: POOL_SIZE });

function positiveInt(value: string | null, fallback: number): number {
  const n = value === null ? fallback : Number(value);
  return Number.isInteger(n) && n >= 1 ? n : fallback;
}

async function page(limit: number, pageNo: number): Promise<string> {
  const client = await pool.connect();
  try {
    const rows = await client.query<HostRow>(
      `SELECT id, name, libvirt_uri, migration_address, migration_interface, instances_path, vcpus, memory_mib, state,
              agent_endpoint, vtep_ip, agent_state, agent_last_seen_at, created_at, updated_at
         FROM hosts ORDER BY name ASC LIMIT $1 OFFSET $2`,
      [limit, (pageNo - 1) * limit],
    );
    const count = await client.query<{ n: string }>('SELECT COUNT(*) AS n FROM hosts');
    const items = rows.rows.map((r) => ({
      id: r.id,
      name: r.name,
      libvirtUri: r.libvirt_uri,
      migrationAddress: r.migration_address,
      migrationInterface: r.migration_interface,
      instancesPath: r.instances_path,
      vcpus: r.vcpus,
      memoryMiB: r.memory_mib,
      state: r.state,
      agentEndpoint: r.agent_endpoint,
      vtepIp: r.vtep_ip,
      agentState: r.agent_state,
      agentLastSeenAt: r.agent_last_seen_at,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
    return JSON.stringify({ items, total: Number(count.rows[0]?.n ?? 0), page: pageNo, limit });
  } finally {
    client.release();
  }
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://bare');
  if (req.method !== 'GET' || url.pathname !== '/hosts') {
    res.writeHead(url.pathname === '/health' ? 200 : 404).end();
    return;
  }
  page(positiveInt(url.searchParams.get('limit'), 50), positiveInt(url.searchParams.get('page'), 1)).then(
    (body) => res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' }).end(body),
    (err: unknown) => res.writeHead(500).end(err instanceof Error ? err.message : String(err)),
  );
});
server.keepAliveTimeout = 65_000;
server.listen({ port: Number(process.env.PORT), backlog: 4096 });
process.on('SIGTERM', () => {
  server.close();
  void pool.end();
});
