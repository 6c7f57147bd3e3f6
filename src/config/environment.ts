import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

const CIDR = String.raw`(?:\d{1,3}(?:\.\d{1,3}){3}/\d{1,2}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*/\d{1,3})`;
const CIDR_LIST = new RegExp(`^${CIDR}(?:\\s*,\\s*${CIDR})*$`);
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Environment keys, validated once at start; a bad value stops the process. */
export class Environment {
  @Transform(({ value }) => (value === undefined || value === '' ? 8080 : Number(value)))
  @IsInt({ message: 'PORT must be an integer' })
  @Min(0)
  @Max(65535)
  PORT = 8080;

  @IsOptional()
  @Matches(/^(postgres|postgresql):\/\/\S+$|^sqlite:\S+$/, {
    message: 'DATABASE_URL must be postgres://user@host:port/db or sqlite:PATH',
  })
  DATABASE_URL?: string;

  @IsOptional()
  @IsString()
  LIVEMIG_TOKENS?: string;

  @IsOptional()
  @IsString()
  LIVEMIG_TOKENS_FILE?: string;

  @IsOptional()
  @IsString()
  LIVEMIG_DATA_DIR?: string;

  @Transform(({ value }) => (value === undefined || value === '' ? 500 : Number(value)))
  @IsInt({ message: 'LIVEMIG_MONITOR_INTERVAL_MS must be an integer' })
  @Min(50)
  @Max(60_000)
  LIVEMIG_MONITOR_INTERVAL_MS = 500;

  @Transform(({ value }) => (value === undefined || value === '' ? 5000 : Number(value)))
  @IsInt({ message: 'LIVEMIG_POSTCOPY_STALL_MS must be an integer (0 turns the stuck-link detector off)' })
  @Min(0)
  @Max(600_000)
  LIVEMIG_POSTCOPY_STALL_MS = 5000;

  @Transform(({ value }) => (value === undefined || value === '' ? 300_000 : Number(value)))
  @IsInt({ message: 'LIVEMIG_POSTCOPY_RECOVERY_WINDOW_MS must be an integer' })
  @Min(0)
  @Max(86_400_000)
  LIVEMIG_POSTCOPY_RECOVERY_WINDOW_MS = 300_000;

  @Transform(({ value }) => (value === undefined || value === '' ? 5 : Number(value)))
  @IsInt({ message: 'LIVEMIG_PARALLEL_MIGRATIONS_PER_CLUSTER must be an integer' })
  @Min(1)
  @Max(1000)
  LIVEMIG_PARALLEL_MIGRATIONS_PER_CLUSTER = 5;

  @Transform(({ value }) => (value === undefined || value === '' ? 2 : Number(value)))
  @IsInt({ message: 'LIVEMIG_PARALLEL_OUTBOUND_MIGRATIONS_PER_HOST must be an integer' })
  @Min(1)
  @Max(100)
  LIVEMIG_PARALLEL_OUTBOUND_MIGRATIONS_PER_HOST = 2;

  @Transform(({ value }) => (value === undefined || value === '' ? 2 : Number(value)))
  @IsInt({ message: 'LIVEMIG_PARALLEL_INBOUND_MIGRATIONS_PER_HOST must be an integer' })
  @Min(1)
  @Max(100)
  LIVEMIG_PARALLEL_INBOUND_MIGRATIONS_PER_HOST = 2;

  @Transform(({ value }) => (value === undefined || value === '' ? 5000 : Number(value)))
  @IsInt({ message: 'LIVEMIG_LEADER_RETRY_MS must be an integer' })
  @Min(100)
  @Max(600_000)
  LIVEMIG_LEADER_RETRY_MS = 5000;

  @Transform(({ value }) => (value === undefined || value === '' ? 15_000 : Number(value)))
  @IsInt({ message: 'LIVEMIG_LEASE_MS must be an integer (how long a replica owns a running migration without renewing)' })
  @Min(500)
  @Max(600_000)
  LIVEMIG_LEASE_MS = 15_000;

  @IsOptional()
  @Matches(/^[A-Za-z0-9._:-]{1,64}$/, { message: 'LIVEMIG_REPLICA_ID must be 1 to 64 letters, digits or . _ : -' })
  LIVEMIG_REPLICA_ID?: string;

  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'LIVEMIG_PROBER_AGENT_URL must be an http(s) URL' })
  LIVEMIG_PROBER_AGENT_URL?: string;

  @IsOptional()
  @IsString()
  LIVEMIG_PROBER_AGENT_TOKEN?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}$/, { message: 'LIVEMIG_PROBER_INTERFACE must be an interface name' })
  LIVEMIG_PROBER_INTERFACE?: string;

  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'LIVEMIG_EXTERNAL_PROBER_AGENT_URL must be an http(s) URL' })
  LIVEMIG_EXTERNAL_PROBER_AGENT_URL?: string;

  @IsOptional()
  @IsString()
  LIVEMIG_EXTERNAL_PROBER_AGENT_TOKEN?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}$/, { message: 'LIVEMIG_EXTERNAL_PROBER_INTERFACE must be an interface name' })
  LIVEMIG_EXTERNAL_PROBER_INTERFACE?: string;

  @Transform(({ value }) => (value === undefined || value === '' ? 10 : Number(value)))
  @IsInt({ message: 'LIVEMIG_PROBE_INTERVAL_MS must be an integer' })
  @Min(1)
  @Max(1000)
  LIVEMIG_PROBE_INTERVAL_MS = 10;

  @Transform(({ value }) => (value === undefined || value === '' ? 1000 : Number(value)))
  @IsInt({ message: 'LIVEMIG_CAPTURE_TAIL_MS must be an integer' })
  @Min(0)
  @Max(60_000)
  LIVEMIG_CAPTURE_TAIL_MS = 1000;

  @Transform(({ value }) => (value === undefined || value === '' ? 2 : Number(value)))
  @IsInt({ message: 'LIVEMIG_ANALYSIS_WORKERS must be an integer (analyses of uploads run at once)' })
  @Min(1)
  @Max(64)
  LIVEMIG_ANALYSIS_WORKERS = 2;

  @Transform(({ value }) => (value === undefined || value === '' ? 2 * 1024 ** 3 : Number(value)))
  @IsInt({ message: 'LIVEMIG_ANALYSIS_MAX_BYTES must be an integer (bytes per upload)' })
  @Min(1024)
  LIVEMIG_ANALYSIS_MAX_BYTES = 2 * 1024 ** 3;

  @Transform(({ value }) => (value === undefined || value === '' ? 600_000 : Number(value)))
  @IsInt({ message: 'LIVEMIG_ANALYSIS_TIMEOUT_MS must be an integer (time budget of one analysis)' })
  @Min(100)
  LIVEMIG_ANALYSIS_TIMEOUT_MS = 600_000;

  @Transform(({ value }) => (value === undefined || value === '' ? 30_000 : Number(value)))
  @IsInt({ message: 'LIVEMIG_NETWORK_RESYNC_MS must be an integer (0 turns the periodic network resync off)' })
  @Min(0)
  @Max(3_600_000)
  LIVEMIG_NETWORK_RESYNC_MS = 30_000;

  @Transform(({ value }) => (value === undefined || value === '' ? 5000 : Number(value)))
  @IsInt({ message: 'LIVEMIG_HEARTBEAT_MS must be an integer (0 turns agent heartbeats off)' })
  @Min(0)
  @Max(600_000)
  LIVEMIG_HEARTBEAT_MS = 5000;

  @Transform(({ value }) => (value === undefined || value === '' ? 10_000 : Number(value)))
  @IsInt({ message: 'LIVEMIG_LIBVIRT_CONNECT_TIMEOUT_MS must be an integer' })
  @Min(100)
  @Max(600_000)
  LIVEMIG_LIBVIRT_CONNECT_TIMEOUT_MS = 10_000;

  @IsOptional()
  @IsString()
  LIVEMIG_SECRET_KEY?: string;

  @IsOptional()
  @IsString()
  LIVEMIG_SECRET_KEY_FILE?: string;

  /** PEM file of the CA that signs the agents' certificates; set, every agent endpoint must be https. */
  @IsOptional()
  @IsString()
  LIVEMIG_AGENT_TLS_CA?: string;

  /** PEM files of the controller's client certificate and key, for agents that require one (mutual TLS). */
  @IsOptional()
  @IsString()
  LIVEMIG_AGENT_TLS_CERT?: string;

  @IsOptional()
  @IsString()
  LIVEMIG_AGENT_TLS_KEY?: string;

  @IsOptional()
  @IsIn(['allow', 'deny'], { message: 'LIVEMIG_AGENT_ENDPOINTS_LOCAL must be allow or deny (allow only for tests)' })
  LIVEMIG_AGENT_ENDPOINTS_LOCAL?: 'allow' | 'deny';

  @IsOptional()
  @IsIn(['allow', 'deny'], { message: 'LIVEMIG_LIBVIRT_TEST_URIS must be allow or deny (allow only for tests and the lab)' })
  LIVEMIG_LIBVIRT_TEST_URIS?: 'allow' | 'deny';

  @IsOptional()
  @Matches(CIDR_LIST, { message: 'LIVEMIG_HYPERVISOR_NETWORKS must be comma-separated CIDRs (192.0.2.0/24,2001:db8::/32)' })
  LIVEMIG_HYPERVISOR_NETWORKS?: string;

  @IsOptional()
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL?: (typeof LOG_LEVELS)[number];
}

export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const env = plainToInstance(Environment, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.flatMap((e) => Object.values(e.constraints ?? {}));
    throw new Error(`invalid configuration: ${lines.join('; ')}`);
  }
  if (env.LIVEMIG_TOKENS && env.LIVEMIG_TOKENS_FILE) {
    throw new Error('invalid configuration: set LIVEMIG_TOKENS or LIVEMIG_TOKENS_FILE, not both');
  }
  return env;
}
