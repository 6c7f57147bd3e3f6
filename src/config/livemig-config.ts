import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { loadSecretKey, setSecretKeySource } from './secret-key';
import { setAgentHttpsRequired, setLocalAgentEndpointsAllowed } from './agent-endpoint-policy';
import { libvirtClientSettingsFrom, setLibvirtClientSettings } from './libvirt-client-settings';
import { libvirtUriPolicyFrom, setLibvirtUriPolicy } from './libvirt-uri-policy';
import { parseTokenList } from './token-list';
import type { Role } from './role';
import type { Environment } from './environment';

export type DatabaseConfig = { type: 'sqlite'; path: string } | { type: 'postgres'; url: string };

export interface LivemigConfig {
  port: number;
  dataDir: string;
  database: DatabaseConfig;
  tokens: ReadonlyMap<string, Role>;
  logLevel: string;
  migration: {
    monitorIntervalMs: number;
    /** A lost link during post-copy: stuck-job detection (0: off), how long resumes are tried, their backoff. */
    postCopyRecovery: { stallMs: number; windowMs: number; firstBackoffMs: number; maxBackoffMs: number };
    parallelMigrationsPerCluster: number;
    parallelOutboundMigrationsPerHost: number;
    parallelInboundMigrationsPerHost: number;
  };
  /** How often a follower replica tries for the policy-job lock, and a leader checks its session. */
  leaderRetryMs: number;
  /** Several controllers on one PostgreSQL: this replica's id and how long its ownership of a migration lasts unrenewed. */
  replica: { id: string; leaseMs: number };
  network: {
    /** Periodic push of the desired state to every agent (catches up hosts a change did not reach); 0: off. */
    resyncMs: number;
    /** Agent heartbeat period; an agent that misses 3 in a row is down; 0: off. */
    heartbeatMs: number;
  };
  capture: {
    /** The prober's agent; without it migrations get no probe stream. */
    prober: ProberAgentConfig | null;
    /** An agent on the external network; it probes floating IPs (north-south) when an instance has one. */
    externalProber: ProberAgentConfig | null;
    probeIntervalMs: number;
    /** Captures keep running this long after the migration ends. */
    tailMs: number;
  };
  /** TLS of the agent channel (PEM texts read at start); null: agents are reached as their endpoints say. */
  agentTls: AgentTlsConfig | null;
  /** Budgets of POST /analyses: analyses at once (worker threads), bytes per upload, time per analysis. */
  analysis: { workers: number; maxBytes: number; timeoutMs: number };
}

export interface AgentTlsConfig {
  /** Verifies the agents' certificates. */
  ca: string;
  /** The controller's client certificate and key (mutual TLS); both or neither. */
  cert?: string;
  key?: string;
}

export interface ProberAgentConfig {
  url: string;
  token: string;
  interface: string;
}

export const LIVEMIG_CONFIG = Symbol('LIVEMIG_CONFIG');

export function buildConfig(env: Environment): LivemigConfig {
  const raw = env as unknown as Record<string, unknown>;
  setLibvirtUriPolicy(libvirtUriPolicyFrom(raw));
  setLibvirtClientSettings(libvirtClientSettingsFrom(raw));
  setLocalAgentEndpointsAllowed(raw.LIVEMIG_AGENT_ENDPOINTS_LOCAL === 'allow');
  const dataDir = resolve(env.LIVEMIG_DATA_DIR ?? 'data');
  setSecretKeySource(() => loadSecretKey(raw, dataDir));
  const agentTls = agentTlsConfig(env);
  setAgentHttpsRequired(agentTls !== null);
  return {
    port: env.PORT,
    dataDir,
    database: databaseConfig(env.DATABASE_URL, dataDir),
    tokens: loadTokens(env),
    logLevel: env.LOG_LEVEL ?? 'info',
    migration: {
      monitorIntervalMs: env.LIVEMIG_MONITOR_INTERVAL_MS ?? 500,
      postCopyRecovery: {
        stallMs: env.LIVEMIG_POSTCOPY_STALL_MS ?? 5000,
        windowMs: env.LIVEMIG_POSTCOPY_RECOVERY_WINDOW_MS ?? 300_000,
        firstBackoffMs: 500,
        maxBackoffMs: 8000,
      },
      parallelMigrationsPerCluster: env.LIVEMIG_PARALLEL_MIGRATIONS_PER_CLUSTER ?? 5,
      parallelOutboundMigrationsPerHost: env.LIVEMIG_PARALLEL_OUTBOUND_MIGRATIONS_PER_HOST ?? 2,
      parallelInboundMigrationsPerHost: env.LIVEMIG_PARALLEL_INBOUND_MIGRATIONS_PER_HOST ?? 2,
    },
    leaderRetryMs: env.LIVEMIG_LEADER_RETRY_MS ?? 5000,
    replica: {
      id: env.LIVEMIG_REPLICA_ID ?? `${hostname().slice(0, 40)}-${process.pid}-${randomBytes(3).toString('hex')}`,
      leaseMs: env.LIVEMIG_LEASE_MS ?? 15_000,
    },
    network: { resyncMs: env.LIVEMIG_NETWORK_RESYNC_MS ?? 30_000, heartbeatMs: env.LIVEMIG_HEARTBEAT_MS ?? 5000 },
    capture: {
      prober: proberConfig('LIVEMIG_PROBER', env.LIVEMIG_PROBER_AGENT_URL, env.LIVEMIG_PROBER_AGENT_TOKEN, env.LIVEMIG_PROBER_INTERFACE),
      externalProber: proberConfig(
        'LIVEMIG_EXTERNAL_PROBER',
        env.LIVEMIG_EXTERNAL_PROBER_AGENT_URL,
        env.LIVEMIG_EXTERNAL_PROBER_AGENT_TOKEN,
        env.LIVEMIG_EXTERNAL_PROBER_INTERFACE,
      ),
      probeIntervalMs: env.LIVEMIG_PROBE_INTERVAL_MS ?? 10,
      tailMs: env.LIVEMIG_CAPTURE_TAIL_MS ?? 1000,
    },
    agentTls,
    analysis: {
      workers: env.LIVEMIG_ANALYSIS_WORKERS ?? 2,
      maxBytes: env.LIVEMIG_ANALYSIS_MAX_BYTES ?? 2 * 1024 ** 3,
      timeoutMs: env.LIVEMIG_ANALYSIS_TIMEOUT_MS ?? 600_000,
    },
  };
}

function proberConfig(prefix: string, url?: string, token?: string, iface?: string): ProberAgentConfig | null {
  if (!url && !token && !iface) return null;
  if (!url || !token || !iface) {
    throw new Error(`invalid configuration: ${prefix}_AGENT_URL, ${prefix}_AGENT_TOKEN and ${prefix}_INTERFACE go together`);
  }
  return { url, token, interface: iface };
}

function agentTlsConfig(env: Environment): AgentTlsConfig | null {
  const { LIVEMIG_AGENT_TLS_CA: caFile, LIVEMIG_AGENT_TLS_CERT: certFile, LIVEMIG_AGENT_TLS_KEY: keyFile } = env;
  if (!caFile && !certFile && !keyFile) return null;
  if (!caFile) throw new Error('invalid configuration: LIVEMIG_AGENT_TLS_CERT and _KEY need LIVEMIG_AGENT_TLS_CA to verify the agents');
  if (!certFile !== !keyFile) throw new Error('invalid configuration: LIVEMIG_AGENT_TLS_CERT and LIVEMIG_AGENT_TLS_KEY go together');
  const read = (key: string, file: string): string => {
    try {
      const pem = readFileSync(file, 'utf8');
      if (!pem.includes('-----BEGIN ')) throw new Error('not a PEM file');
      return pem;
    } catch (err) {
      throw new Error(`invalid configuration: ${key} cannot be read (${(err as Error).message})`, { cause: err });
    }
  };
  return {
    ca: read('LIVEMIG_AGENT_TLS_CA', caFile),
    ...(certFile && keyFile ? { cert: read('LIVEMIG_AGENT_TLS_CERT', certFile), key: read('LIVEMIG_AGENT_TLS_KEY', keyFile) } : {}),
  };
}

function databaseConfig(url: string | undefined, dataDir: string): DatabaseConfig {
  if (!url) return { type: 'sqlite', path: resolve(dataDir, 'livemig.sqlite') };
  if (url.startsWith('sqlite:')) return { type: 'sqlite', path: resolve(url.slice('sqlite:'.length)) };
  return { type: 'postgres', url };
}

function loadTokens(env: Environment): Map<string, Role> {
  if (env.LIVEMIG_TOKENS_FILE) {
    let text: string;
    try {
      text = readFileSync(env.LIVEMIG_TOKENS_FILE, 'utf8');
    } catch (err) {
      throw new Error(`invalid configuration: LIVEMIG_TOKENS_FILE cannot be read (${(err as Error).message})`, { cause: err });
    }
    return wrap('LIVEMIG_TOKENS_FILE', () => parseTokenList(text));
  }
  return wrap('LIVEMIG_TOKENS', () => parseTokenList(env.LIVEMIG_TOKENS ?? ''));
}

function wrap<T>(key: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new Error(`invalid configuration: ${key}: ${(err as Error).message}`, { cause: err });
  }
}
