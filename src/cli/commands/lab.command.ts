import type { Command } from 'commander';

// Placeholder until the lab lands: the command exists but refuses to run.
export function registerLabCommand(program: Command): void {
  program
    .command('lab')
    .description('bring the one-machine test lab up or down')
    .action(() => {
      throw new Error('lab is not available yet');
    });
}
