import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { InstancePaths } from '../../network/paths/paths.service';
import { renderPaths } from './paths-view';

interface PathsCommandOptions {
  controller: string;
  tokenFile: string;
  destination?: string;
  hops?: boolean;
  json?: boolean;
}

export function registerPathsCommand(program: Command): void {
  program
    .command('paths <instance>')
    .description("each peer's path class (node × subnet, north-south) and path now, and after a migration with --destination")
    .requiredOption('--token-file <file>', 'file holding a bearer token for the controller')
    .option('--controller <url>', "the controller's base URL", 'http://127.0.0.1:8080')
    .option('--destination <host>', 'show what a migration to this host (id or name) would change')
    .option('--hops', 'print the hop-by-hop path (host, namespace, device, tunnel)')
    .option('--json', 'print the API response as JSON')
    .action(async (instance: string, options: PathsCommandOptions) => {
      const token = (await readFile(options.tokenFile, 'utf8')).trim();
      const url = new URL('/paths', options.controller);
      url.searchParams.set('instance', instance);
      if (options.destination !== undefined) url.searchParams.set('destination', options.destination);
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      const body: unknown = await res.json();
      if (!res.ok) {
        const message = (body as { message?: unknown }).message;
        throw new Error(`GET /paths: ${res.status} ${typeof message === 'string' ? message : res.statusText}`);
      }
      process.stdout.write(options.json ? `${JSON.stringify(body, null, 2)}\n` : renderPaths(body as InstancePaths, options.hops === true));
    });
}
