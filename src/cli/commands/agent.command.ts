import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { startAgent } from '../../agents/agent/agent.app';
import { DEFAULT_AGENT_DATA_DIR, DEFAULT_INSTANCES_PATH, DEFAULT_RECONCILE_INTERVAL_MS } from '../../agents/agent/agent.config';
import {
  parseListenAddress,
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
    .action(async (options: AgentCommandOptions) => {
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
        },
        listen,
      );
      process.stdout.write(`livemig agent ${options.host} listening on ${options.listen}\n`);
      // close() runs onApplicationShutdown, which stops running captures and probes.
      const close = () => void app.close().then(() => process.exit(0));
      process.once('SIGTERM', close);
      process.once('SIGINT', close);
    });
}
