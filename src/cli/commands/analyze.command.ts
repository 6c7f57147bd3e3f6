import type { Command } from 'commander';

// Placeholder until the analyzer lands: the command exists but refuses to run.
export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze')
    .description('analyze pcap/pcapng captures of a live migration')
    .action(() => {
      throw new Error('analyze is not available yet');
    });
}
