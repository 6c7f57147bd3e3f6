import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { validateEnvironment, type Environment } from './environment';
import { buildConfig, LIVEMIG_CONFIG } from './livemig-config';

const KEYS = [
  'PORT',
  'DATABASE_URL',
  'LIVEMIG_TOKENS',
  'LIVEMIG_TOKENS_FILE',
  'LIVEMIG_DATA_DIR',
  'LOG_LEVEL',
  'LIVEMIG_MONITOR_INTERVAL_MS',
  'LIVEMIG_POSTCOPY_STALL_MS',
  'LIVEMIG_POSTCOPY_RECOVERY_WINDOW_MS',
  'LIVEMIG_PARALLEL_MIGRATIONS_PER_CLUSTER',
  'LIVEMIG_PARALLEL_OUTBOUND_MIGRATIONS_PER_HOST',
  'LIVEMIG_PARALLEL_INBOUND_MIGRATIONS_PER_HOST',
  'LIVEMIG_PROBER_AGENT_URL',
  'LIVEMIG_PROBER_AGENT_TOKEN',
  'LIVEMIG_PROBER_INTERFACE',
  'LIVEMIG_EXTERNAL_PROBER_AGENT_URL',
  'LIVEMIG_EXTERNAL_PROBER_AGENT_TOKEN',
  'LIVEMIG_EXTERNAL_PROBER_INTERFACE',
  'LIVEMIG_PROBE_INTERVAL_MS',
  'LIVEMIG_CAPTURE_TAIL_MS',
  'LIVEMIG_LEADER_RETRY_MS',
  'LIVEMIG_LEASE_MS',
  'LIVEMIG_REPLICA_ID',
  'LIVEMIG_NETWORK_RESYNC_MS',
  'LIVEMIG_HEARTBEAT_MS',
  'LIVEMIG_LIBVIRT_TEST_URIS',
  'LIVEMIG_HYPERVISOR_NETWORKS',
  'LIVEMIG_LIBVIRT_CONNECT_TIMEOUT_MS',
  'LIVEMIG_AGENT_ENDPOINTS_LOCAL',
  'LIVEMIG_AGENT_TLS_CA',
  'LIVEMIG_AGENT_TLS_CERT',
  'LIVEMIG_AGENT_TLS_KEY',
  'LIVEMIG_SECRET_KEY',
  'LIVEMIG_SECRET_KEY_FILE',
  'LIVEMIG_ANALYSIS_WORKERS',
  'LIVEMIG_ANALYSIS_MAX_BYTES',
  'LIVEMIG_ANALYSIS_TIMEOUT_MS',
] as const;

@Global()
@Module({})
export class LivemigConfigModule {
  /** Reads and validates the environment when called, so each app instance sees its own. */
  static forRoot(): DynamicModule {
    return {
      module: LivemigConfigModule,
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, validate: validateEnvironment, cache: false })],
      providers: [
        {
          provide: LIVEMIG_CONFIG,
          inject: [ConfigService],
          useFactory: (config: ConfigService<Environment, true>) => {
            const env = {} as Record<(typeof KEYS)[number], unknown>;
            for (const key of KEYS) env[key] = config.get(key, { infer: true });
            return buildConfig(env as unknown as Environment);
          },
        },
      ],
      exports: [LIVEMIG_CONFIG],
    };
  }
}
