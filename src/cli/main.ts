import { Command } from 'commander';

type Register = (program: Command) => void;

// The operator commands (a REST client) register together, once, whichever of them is asked for.
let operatorRegistered = false;
const operator = async (): Promise<Register> => {
  const { registerOperatorCommands } = await import('./operator/operator.command');
  return (program) => {
    if (!operatorRegistered) registerOperatorCommands(program);
    operatorRegistered = true;
  };
};

// Each command loads its own dependencies only when it is the one asked for: `livemig analyze`
// must not pay for NestJS. The lab and the demo have their own entry point, lab/cli/main.ts.
const COMMANDS: Record<string, () => Promise<Register>> = {
  analyze: async () => (await import('./commands/analyze.command')).registerAnalyzeCommand,
  agent: async () => (await import('./commands/agent.command')).registerAgentCommand,
  migrate: operator,
  migrations: operator,
  drain: operator,
  report: operator,
  paths: async () => (await import('./commands/paths.command')).registerPathsCommand,
};

async function main(): Promise<void> {
  const program = new Command('livemig')
    .description('Live-migration controller and downtime analyzer for KVM/libvirt clouds')
    .showHelpAfterError();
  const asked = process.argv[2];
  const names = asked !== undefined && asked in COMMANDS ? [asked] : Object.keys(COMMANDS);
  for (const name of names) (await COMMANDS[name]())(program);
  await program.parseAsync(process.argv);
}

main().catch((err: unknown) => {
  process.stderr.write(`livemig: ${err instanceof Error ? err.message : String(err)}\n`);
  // Operator commands: 2 bad input or refused, 3 controller unreachable, 4 not found (1 is a failed migration).
  const code = (err as { exitCode?: unknown }).exitCode;
  process.exit(typeof code === 'number' && code > 1 ? code : 1);
});
