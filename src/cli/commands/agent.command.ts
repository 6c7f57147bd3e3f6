// The agent is a Nest app: its decorators need the metadata polyfill before any of its modules load.
import 'reflect-metadata';
import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { startAgent } from '../../agents/agent/agent.app';
import {
  DEFAULT_AGENT_DATA_DIR,
  DEFAULT_CAPTURE_LIMITS,
  DEFAULT_INSTANCES_PATH,
  DEFAULT_RECONCILE_INTERVAL_MS,
  type AgentServerTls,
} from '../../agents/agent/agent.config';
import {
  parseListenAddress,
  parseMaxCaptureBytes,
  parseMaxCaptures,
  parseReconcileInterval,
  parseTokenFile,
  requireAbsolutePath,
  requireHostName,
  requireInterfaceName,
  requireNetnsPrefix,
} from '../../agents/agent/agent-options';

interface AgentCommandOptions {
  listen: string;
  tokenFile: string;
  host: string;
  dataDir: string;
  instancesPath: string;
  externalInterface?: string;
  reconcileIntervalMs: string;
  netnsPrefix: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsClientCa?: string;
  maxCaptures: string;
  maxCaptureGib: string;
}

// Bumped with the agent's wire contract (src/agents/agent-api.ts).
const AGENT_VERSION = '0.1.0';

export function registerAgentCommand(program: Command): void {
  program
    .command('agent')
    .description('run the host agent: authenticated RPC for storage markers, captures and probes')
    .requiredOption('--listen <address:port>', 'address and port to listen on, e.g. 192.0.2.11:7070')
    .requiredOption('--token-file <file>', 'file holding the bearer token the controller presents')
    .requiredOption('--host <name>', "this host's name as the controller's inventory knows it")
    .option('--data-dir <dir>', 'where captures and probe pcaps are kept', DEFAULT_AGENT_DATA_DIR)
    .option('--instances-path <dir>', 'Nova instances path; the only place storage markers are written', DEFAULT_INSTANCES_PATH)
    .option('--external-interface <name>', 'interface onto the external network, parent of the fip/qg macvlans (e.g. ext0)')
    .option(
      '--reconcile-interval-ms <ms>',
      'how often the network state is checked and repaired; 0 disables',
      String(DEFAULT_RECONCILE_INTERVAL_MS),
    )
    .option('--netns-prefix <prefix>', 'prefix for the qrouter-/fip- namespaces, for several agents on one machine (lab)', '')
    .option('--max-captures <n>', 'captures running at once; one more is refused with 429', String(DEFAULT_CAPTURE_LIMITS.maxConcurrent))
    .option(
      '--max-capture-gib <gib>',
      'GiB all captures may hold (running ones at their maximum size); past it 429',
      String(DEFAULT_CAPTURE_LIMITS.maxBytes / 1024 ** 3),
    )
    .option('--tls-cert <file>', 'PEM certificate to serve HTTPS with (env LIVEMIG_AGENT_TLS_CERT)', process.env.LIVEMIG_AGENT_TLS_CERT)
    .option('--tls-key <file>', 'PEM key of that certificate (env LIVEMIG_AGENT_TLS_KEY)', process.env.LIVEMIG_AGENT_TLS_KEY)
    .option(
      '--tls-client-ca <file>',
      'PEM CA; set, the controller must present a certificate it signed (mutual TLS; env LIVEMIG_AGENT_TLS_CA)',
      process.env.LIVEMIG_AGENT_TLS_CA,
    )
    .action(async (options: AgentCommandOptions) => {
      // Captures, probe pcaps and the network state are the agent's own; tcpdump inherits the mask.
      process.umask(0o077);
      const listen = parseListenAddress(options.listen);
      const token = parseTokenFile(await readFile(options.tokenFile, 'utf8'));
      if (((await stat(options.tokenFile)).mode & 0o077) !== 0) {
        process.stderr.write(`livemig agent: warning: ${options.tokenFile} is readable by other users; chmod 600 it\n`);
      }
      const app = await startAgent(
        {
          host: requireHostName(options.host),
          token,
          dataDir: requireAbsolutePath(options.dataDir, '--data-dir'),
          instancesPath: requireAbsolutePath(options.instancesPath, '--instances-path'),
          version: AGENT_VERSION,
          externalInterface:
            options.externalInterface === undefined ? undefined : requireInterfaceName(options.externalInterface, '--external-interface'),
          reconcileIntervalMs: parseReconcileInterval(options.reconcileIntervalMs),
          netnsPrefix: requireNetnsPrefix(options.netnsPrefix),
          tls: await readServerTls(options),
          captureLimits: { maxConcurrent: parseMaxCaptures(options.maxCaptures), maxBytes: parseMaxCaptureBytes(options.maxCaptureGib) },
        },
        listen,
      );
      const scheme = options.tlsCert === undefined ? 'http' : options.tlsClientCa === undefined ? 'https' : 'https (mutual TLS)';
      process.stdout.write(`livemig agent ${options.host} listening on ${options.listen} over ${scheme}\n`);
      // close() runs onApplicationShutdown, which stops running captures and probes.
      const close = () => void app.close().then(() => process.exit(0));
      process.once('SIGTERM', close);
      process.once('SIGINT', close);
    });
}

async function readServerTls(options: AgentCommandOptions): Promise<AgentServerTls | undefined> {
  if (options.tlsCert === undefined && options.tlsKey === undefined) {
    if (options.tlsClientCa !== undefined) throw new RangeError('--tls-client-ca needs --tls-cert and --tls-key');
    return undefined;
  }
  if (options.tlsCert === undefined || options.tlsKey === undefined) throw new RangeError('--tls-cert and --tls-key go together');
  return {
    cert: await readFile(options.tlsCert, 'utf8'),
    key: await readFile(options.tlsKey, 'utf8'),
    ...(options.tlsClientCa === undefined ? {} : { clientCa: await readFile(options.tlsClientCa, 'utf8') }),
  };
}
