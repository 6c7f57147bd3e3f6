import { describe, expect, it } from 'vitest';
import { NetworkSteps } from '../../../src/migration/engine/network-steps';
import type { RunContext } from '../../../src/migration/engine/run-context';
import type { MigrationRecorder } from '../../../src/migration/migration-recorder.service';
import type { NetworkFollower } from '../../../src/network/follow/network-follower';

const step = { step: 'bindings', startedAt: new Date(0).toISOString(), durationMs: 1, ok: true };

const follower: NetworkFollower = {
  prePlug: () => Promise.resolve([step]),
  arm: () => Promise.resolve([step]),
  switchover: () => Promise.resolve([step]),
  commit: () => Promise.resolve([step]),
  rollback: () => Promise.resolve([step]),
  floatingIpOf: () => Promise.resolve(null),
};

/** A record store that goes away after `savesBeforeLoss` saves, as at a controller's stop. */
function recorderLostAfter(savesBeforeLoss: number): MigrationRecorder {
  let saves = 0;
  return {
    save: () => (++saves > savesBeforeLoss ? Promise.reject(new Error('Connection terminated')) : Promise.resolve()),
  } as unknown as MigrationRecorder;
}

function context(): RunContext {
  return {
    migration: { id: 'm1' },
    instance: { id: 'i1' },
    source: { id: 'h1' },
    destination: { id: 'h2' },
    networkSteps: [],
    networkPrePlugged: false,
    abortRequested: () => false,
  } as unknown as RunContext;
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('NetworkSteps, background step groups', () => {
  it('arming whose record save fails while nobody awaits it leaves no unhandled rejection; a later await sees the error', async () => {
    const steps = new NetworkSteps(recorderLostAfter(1), follower);
    const ctx = context();
    expect(await steps.prePlug(ctx)).toBe(true);
    await settle();
    // Vitest fails the run on an unhandled rejection, so reaching here with one pending would not pass.
    await expect(ctx.networkArming).rejects.toThrow('Connection terminated');
  });

  it('a switchover started at the pause and never awaited (the run ended first) leaves no unhandled rejection', async () => {
    const steps = new NetworkSteps(recorderLostAfter(2), follower);
    const ctx = context();
    await steps.prePlug(ctx);
    await ctx.networkArming;
    steps.startSwitchover(ctx);
    await settle();
    await expect(steps.switchoverDone(ctx)).rejects.toThrow('Connection terminated');
    expect(ctx.networkSteps.map((s) => s.phase)).toEqual(['reservation', 'reservation', 'switchover']);
  });
});
