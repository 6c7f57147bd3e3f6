import 'reflect-metadata';
import { Command } from 'commander';
import { registerDemoCommand } from './commands/demo.command';
import { registerLabCommands } from './commands/lab.command';

// The lab's own entry point (bin/livemig-lab.js): a development tool, so the production CLI
// in src/cli neither ships nor imports it.
async function main(): Promise<void> {
  const program = new Command('livemig-lab').description('the one-machine test lab and the demo that runs on it').showHelpAfterError();
  registerLabCommands(program);
  registerDemoCommand(program);
  await program.parseAsync(process.argv);
}

main().catch((err: unknown) => {
  process.stderr.write(`livemig-lab: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
