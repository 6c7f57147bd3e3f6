import 'reflect-metadata';
import { Command } from 'commander';
import { registerAgentCommand } from './commands/agent.command';
import { registerAnalyzeCommand } from './commands/analyze.command';
import { registerLabCommand } from './commands/lab.command';

const program = new Command('livemig')
  .description('Live-migration controller and downtime analyzer for KVM/libvirt clouds')
  .showHelpAfterError();

registerAnalyzeCommand(program);
registerLabCommand(program);
registerAgentCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`livemig: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
