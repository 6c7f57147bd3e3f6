// What an agent runs when a switchover fires: the plan from the host as it is now to the state after the
// switchover, computed while the guest is still copying. Additions and flips first, removals of what the
// guest left behind last; gratuitous ARPs right after the batches. Pure.
import { batchCommands, type CommandBatch } from './command-batches';
import type { NetworkPlan, PlannedChange } from './network-plan';

export interface SwitchoverDelta {
  batches: CommandBatch[];
  /** Started, not waited for, once the batches ran. */
  announcements: string[][];
  /** Every command, in the order it will run (for the record). */
  commands: string[][];
}

const isRemoval = (c: PlannedChange) => c.drift?.found === 'extra';

export function switchoverDelta(plan: NetworkPlan): SwitchoverDelta {
  const work = plan.changes.filter((c) => !c.detached && c.commands.length > 0);
  const ordered = [...work.filter((c) => !isRemoval(c)), ...work.filter(isRemoval)];
  const commands = ordered.flatMap((c) => c.commands);
  const announcements = plan.changes.filter((c) => c.detached).flatMap((c) => c.commands);
  return { batches: batchCommands(commands, { scriptSingles: true }), announcements, commands };
}
