import type { NetworkDrift } from '../../protocol';

/** One difference and the commands that repair it; `drift` null for announcements (gratuitous ARP). */
export interface PlannedChange {
  drift: NetworkDrift | null;
  commands: string[][];
  /** A failing command does not fail the change (gratuitous ARP is a courtesy). */
  bestEffort?: boolean;
  /** Started and not waited for: arping takes a second per packet, and nothing after it depends on it. */
  detached?: boolean;
}

export interface NetworkPlan {
  changes: PlannedChange[];
  drift: NetworkDrift[];
  commands: string[][];
}

/** Collects changes in the order they must run. */
export class PlanBuilder {
  private readonly changes: PlannedChange[] = [];

  change(kind: string, subject: string, found: NetworkDrift['found'], commands: string[][], detail?: string): void {
    const drift: NetworkDrift = { kind, subject, found, repaired: true };
    if (detail !== undefined) drift.detail = detail;
    this.changes.push({ drift, commands });
  }

  /** Drift the agent must not or cannot repair: reported, nothing run. */
  refuse(kind: string, subject: string, found: NetworkDrift['found'], error: string): void {
    this.changes.push({ drift: { kind, subject, found, repaired: false, error }, commands: [] });
  }

  /** Gratuitous ARPs, sent once the changes before them ran; the apply does not wait for them. */
  announce(commands: string[][]): void {
    if (commands.length > 0) this.changes.push({ drift: null, commands, bestEffort: true, detached: true });
  }

  build(): NetworkPlan {
    return {
      changes: this.changes,
      drift: this.changes.flatMap((c) => (c.drift ? [c.drift] : [])),
      commands: this.changes.flatMap((c) => c.commands),
    };
  }
}

/** Three unsolicited ARPs a second apart (iputils arping takes whole seconds): the first goes at once. */
export const GARP: readonly string[] = ['arping', '-q', '-U', '-c', '3'];

/** Commands in a namespace; `undefined` is the agent's own. */
export const ipIn = (ns: string | undefined, ...args: string[]): string[] =>
  ns === undefined ? ['ip', ...args] : ['ip', '-n', ns, ...args];
export const execIn = (ns: string | undefined, argv: string[]): string[] =>
  ns === undefined ? argv : ['ip', 'netns', 'exec', ns, ...argv];
/** How drift subjects name a place: `qr-… in qrouter-…`. */
export const inNs = (what: string, ns: string | undefined): string => (ns === undefined ? what : `${what} in ${ns}`);
