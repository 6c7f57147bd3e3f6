import { describe, expect, it } from 'vitest';
import {
  decide,
  initialConvergenceState,
  NOVA_DEFAULT,
  type ConvergenceAction,
  type ConvergencePolicy,
  type ConvergenceSample,
  type ConvergenceState,
} from '../../../src/migration/core';

const GiB = 1024 ** 3;
// Nova's documented example, with nothing else enabled unless a test says so.
const BASE: ConvergencePolicy = {
  ...NOVA_DEFAULT,
  maxDowntimeMs: 400,
  downtimeSteps: 10,
  downtimeDelaySecPerGiB: 30,
  completionTimeoutSecPerGiB: 0,
};

type Poll = Partial<ConvergenceSample> & { elapsedSec: number };

/** Runs polls in order; returns the actions of each poll and the final state. */
function run(policy: ConvergencePolicy, polls: Poll[], dataGiB = 3): { actions: ConvergenceAction[][]; state: ConvergenceState } {
  let state = initialConvergenceState(policy, dataGiB);
  const actions: ConvergenceAction[][] = [];
  for (const poll of polls) {
    const decision = decide(policy, state, { dataRemainingBytes: 1 * GiB, mode: 'pre-copy', ...poll });
    actions.push([...decision.actions]);
    state = decision.state;
  }
  return { actions, state };
}

describe('decide: downtime steps and bandwidth', () => {
  it('walks Nova’s schedule one step per due poll', () => {
    const { actions } = run(BASE, [{ elapsedSec: 0 }, { elapsedSec: 1 }, { elapsedSec: 60 }, { elapsedSec: 91 }, { elapsedSec: 901 }]);
    expect(actions).toEqual([
      [],
      [{ type: 'set-max-downtime', downtimeMs: 40, reason: 'downtime-step' }],
      [],
      [{ type: 'set-max-downtime', downtimeMs: 76, reason: 'downtime-step' }],
      [{ type: 'set-max-downtime', downtimeMs: 400, reason: 'downtime-step' }],
    ]);
  });

  it.each([
    { bandwidthMiBps: 0, expected: [] },
    { bandwidthMiBps: 256, expected: [{ type: 'set-bandwidth', bandwidthMiBps: 256 }] },
  ])('bandwidth $bandwidthMiBps MiB/s is applied once, on the first poll', ({ bandwidthMiBps, expected }) => {
    const { actions } = run({ ...BASE, bandwidthMiBps }, [{ elapsedSec: 0 }, { elapsedSec: 0 }]);
    expect(actions).toEqual([expected, []]);
  });
});

describe('decide: timeouts', () => {
  it('aborts on the progress timeout and then stays silent', () => {
    const policy = { ...BASE, progressTimeoutSec: 150 };
    const { actions, state } = run(policy, [
      { elapsedSec: 0, dataRemainingBytes: 2 * GiB },
      { elapsedSec: 100, dataRemainingBytes: 1 * GiB },
      { elapsedSec: 250, dataRemainingBytes: 1 * GiB },
      { elapsedSec: 251, dataRemainingBytes: 1 * GiB },
      { elapsedSec: 300, dataRemainingBytes: 1 },
    ]);
    expect(actions[2].filter((a) => a.type === 'abort')).toEqual([]);
    expect(actions[3]).toEqual([{ type: 'abort', reason: 'progress-timeout' }]);
    expect(actions[4]).toEqual([]);
    expect(state.aborted).toBe(true);
  });

  const timedOut: Poll[] = [{ elapsedSec: 0 }, { elapsedSec: 2401 }, { elapsedSec: 2500 }];
  it.each([
    {
      why: 'abort',
      policy: { ...BASE, completionTimeoutSecPerGiB: 800 },
      expected: [[{ type: 'abort', reason: 'completion-timeout' }], []],
    },
    {
      why: 'force-complete with post-copy allowed starts post-copy once',
      policy: { ...BASE, completionTimeoutSecPerGiB: 800, timeoutAction: 'force-complete', allowPostCopy: true },
      expected: [[{ type: 'start-post-copy', reason: 'force-complete' }], []],
    },
    {
      why: 'force-complete with a cap raises the max downtime, and the steps never lower it',
      policy: { ...BASE, completionTimeoutSecPerGiB: 800, timeoutAction: 'force-complete', forceCompleteMaxDowntimeMs: 5000 },
      expected: [[{ type: 'set-max-downtime', downtimeMs: 5000, reason: 'force-complete' }], []],
    },
    {
      why: 'force-complete without post-copy or cap pauses the guest, as Nova does',
      policy: { ...BASE, completionTimeoutSecPerGiB: 800, timeoutAction: 'force-complete' },
      expected: [
        [{ type: 'pause-guest', reason: 'force-complete' }],
        [{ type: 'set-max-downtime', downtimeMs: 400, reason: 'downtime-step' }],
      ],
    },
  ] as const)('completion timeout (800 s/GiB × 3 GiB): $why', ({ policy, expected }) => {
    const { actions } = run(policy, timedOut);
    expect(actions.slice(1)).toEqual(expected);
  });

  it('force-complete pauses when the cap is not above the downtime already set', () => {
    const policy: ConvergencePolicy = {
      ...BASE,
      completionTimeoutSecPerGiB: 800,
      timeoutAction: 'force-complete',
      forceCompleteMaxDowntimeMs: 400,
    };
    const { actions } = run(policy, [{ elapsedSec: 1000 }, { elapsedSec: 2401 }]);
    expect(actions[1]).toEqual([{ type: 'pause-guest', reason: 'force-complete' }]);
  });

  it('never acts on timeouts once the migration runs in post-copy', () => {
    const policy = { ...BASE, completionTimeoutSecPerGiB: 800, progressTimeoutSec: 10 };
    const { actions } = run(policy, [
      { elapsedSec: 0, mode: 'post-copy' },
      { elapsedSec: 5000, mode: 'post-copy' },
    ]);
    expect(actions).toEqual([[], []]);
  });
});

describe('decide: post-copy on slow progress (Nova should_switch_to_postcopy)', () => {
  const policy = { ...BASE, allowPostCopy: true, postCopyOnSlowProgress: true };
  it.each([
    {
      why: 'a second round that removed 5 % switches',
      secondRemaining: 0.95,
      expected: [{ type: 'start-post-copy', reason: 'slow-progress' }],
    },
    { why: 'a second round that removed 10 % does not', secondRemaining: 0.9, expected: [] },
  ])('$why', ({ secondRemaining, expected }) => {
    const { actions } = run(policy, [
      { elapsedSec: 0, memoryIteration: 1, dataRemainingBytes: 1 * GiB },
      { elapsedSec: 0, memoryIteration: 2, dataRemainingBytes: secondRemaining * GiB },
    ]);
    expect(actions[1]).toEqual(expected);
  });

  it('needs allowPostCopy and does not look at the first pass', () => {
    const off = run({ ...policy, allowPostCopy: false }, [
      { elapsedSec: 0, memoryIteration: 1, dataRemainingBytes: GiB },
      { elapsedSec: 0, memoryIteration: 2, dataRemainingBytes: GiB },
    ]);
    expect(off.actions[1]).toEqual([]);
    const firstPass = run(policy, [{ elapsedSec: 0, memoryIteration: 1, dataRemainingBytes: GiB }]);
    expect(firstPass.actions[0]).toEqual([]);
  });
});

describe('decide: post-copy after the first pass (the strategy’s choice)', () => {
  const policy: ConvergencePolicy = { ...BASE, allowPostCopy: true, downtimeSteps: 1, downtimeDelaySecPerGiB: 0 };
  const start = { postCopyEnabled: true, postCopyAfterFirstPass: true };

  it('switches once libvirt’s iteration counter passes 1, then never again', () => {
    let state = initialConvergenceState(policy, 2, start);
    const polls: Poll[] = [
      { elapsedSec: 1, memoryIteration: 1 },
      { elapsedSec: 30, memoryIteration: 1 },
      { elapsedSec: 31, memoryIteration: 2 },
      { elapsedSec: 32, memoryIteration: 3 },
    ];
    const seen: string[][] = [];
    for (const poll of polls) {
      const d = decide(policy, state, { dataRemainingBytes: GiB, mode: 'pre-copy', ...poll });
      seen.push(d.actions.filter((a) => a.type === 'start-post-copy').map((a) => (a.type === 'start-post-copy' ? a.reason : '')));
      state = d.state;
    }
    expect(seen).toEqual([[], [], ['after-first-pass'], []]);
  });

  it('does not switch when the migrate call did not carry the post-copy flag', () => {
    const state = initialConvergenceState(policy, 2, { postCopyEnabled: false, postCopyAfterFirstPass: true });
    const d = decide(policy, state, { elapsedSec: 40, dataRemainingBytes: GiB, mode: 'pre-copy', memoryIteration: 2 });
    expect(d.actions.some((a) => a.type === 'start-post-copy')).toBe(false);
  });
});

describe('decide: stall detection escalates in the policy’s order', () => {
  const policy: ConvergencePolicy = {
    ...BASE,
    downtimeSteps: 1,
    downtimeDelaySecPerGiB: 0,
    allowPostCopy: true,
    forceCompleteMaxDowntimeMs: 2000,
    stallWindowSec: 20,
    stallMinDropPct: 10,
    stallEscalation: ['raise-downtime', 'post-copy', 'pause'],
  };
  const escalations = (actions: ConvergenceAction[][]) => actions.map((a) => a.filter((x) => 'reason' in x && x.reason === 'stall'));

  it('flat remaining data: one escalation per window, in order, skipping nothing it can do', () => {
    const { actions } = run(policy, [{ elapsedSec: 0 }, { elapsedSec: 10 }, { elapsedSec: 20 }, { elapsedSec: 30 }, { elapsedSec: 40 }]);
    expect(escalations(actions)).toEqual([
      [],
      [],
      [{ type: 'set-max-downtime', downtimeMs: 2000, reason: 'stall' }],
      [],
      [{ type: 'start-post-copy', reason: 'stall' }],
    ]);
  });

  it('steady progress (new lows ≥ 10 % every poll) never escalates', () => {
    const polls = Array.from({ length: 10 }, (_, i) => ({ elapsedSec: i * 10, dataRemainingBytes: GiB * 0.85 ** i }));
    expect(escalations(run(policy, polls).actions).flat()).toEqual([]);
  });

  it('a saw-tooth without new lows is a stall even though the data moves', () => {
    const { actions } = run(policy, [
      { elapsedSec: 0, dataRemainingBytes: 0.5 * GiB },
      { elapsedSec: 8, dataRemainingBytes: 0.9 * GiB },
      { elapsedSec: 16, dataRemainingBytes: 0.48 * GiB },
      { elapsedSec: 24, dataRemainingBytes: 0.9 * GiB },
    ]);
    expect(escalations(actions)[3]).toEqual([{ type: 'set-max-downtime', downtimeMs: 2000, reason: 'stall' }]);
  });

  it('skips post-copy when the start did not enable it and goes on to the pause', () => {
    let state = initialConvergenceState(policy, 3, { postCopyEnabled: false, postCopyAfterFirstPass: false });
    const out: ConvergenceAction[][] = [];
    for (const elapsedSec of [0, 20, 40]) {
      const d = decide(policy, state, { elapsedSec, dataRemainingBytes: GiB, mode: 'pre-copy' });
      out.push([...d.actions]);
      state = d.state;
    }
    expect(escalations(out)).toEqual([
      [],
      [{ type: 'set-max-downtime', downtimeMs: 2000, reason: 'stall' }],
      [{ type: 'pause-guest', reason: 'stall' }],
    ]);
  });

  it('a window of 0 disables the detector', () => {
    const { actions } = run({ ...policy, stallWindowSec: 0 }, [{ elapsedSec: 0 }, { elapsedSec: 500 }]);
    expect(escalations(actions).flat()).toEqual([]);
  });
});

describe('decide: the first pass checks a pre-copy choice on QEMU’s measured figures', () => {
  const MiB = 2 ** 20;
  const policy: ConvergencePolicy = { ...BASE, downtimeSteps: 1, downtimeDelaySecPerGiB: 0, allowPostCopy: true, maxDowntimeMs: 500 };
  const start = (dirtyRateBytesPerSec = 0) =>
    initialConvergenceState(policy, 0.5, {
      postCopyEnabled: true,
      postCopyAfterFirstPass: false,
      refineAfterFirstPass: true,
      dirtyRateBytesPerSec,
    });
  // After the first pass: 64 MiB left over a 12.5 MB/s link.
  const firstPassDone = (dirtyMiBps: number): ConvergenceSample => ({
    elapsedSec: 12,
    dataRemainingBytes: 64 * MiB,
    memoryIteration: 2,
    dirtyRateBytesPerSec: dirtyMiBps * MiB,
    bandwidthBytesPerSec: 12.5e6,
    mode: 'pre-copy',
  });

  it('switches to post-copy at once when pre-copy cannot finish from here', () => {
    const d = decide(policy, start(), firstPassDone(14));
    expect(d.actions.filter((a) => a.type === 'start-post-copy')).toEqual([{ type: 'start-post-copy', reason: 'first-pass-verdict' }]);
    expect(d.state.firstPass?.converges).toBe(false);
    expect(d.state.refineAfterFirstPass).toBe(false);
  });

  it('keeps pre-copy when the measured figures converge', () => {
    const d = decide(policy, start(), firstPassDone(1));
    expect(d.actions.filter((a) => a.type === 'start-post-copy')).toEqual([]);
    expect(d.state.firstPass?.converges).toBe(true);
  });

  it('takes the higher of QEMU’s rate and the window measured before the copy (a long pass counts each page once)', () => {
    const d = decide(policy, start(14 * MiB), firstPassDone(1));
    expect(d.actions.filter((a) => a.type === 'start-post-copy')).toEqual([{ type: 'start-post-copy', reason: 'first-pass-verdict' }]);
    expect(d.state.firstPass?.figures.dirtyRateBytesPerSec).toBe(14 * MiB);
  });

  it('waits for the end of the first pass and for both figures, and judges once', () => {
    const during = decide(policy, start(), { ...firstPassDone(14), memoryIteration: 1 });
    expect(during.actions.filter((a) => a.type === 'start-post-copy')).toEqual([]);
    expect(during.state.refineAfterFirstPass).toBe(true);
    const noRate = decide(policy, start(), { ...firstPassDone(14), dirtyRateBytesPerSec: undefined });
    expect(noRate.state.refineAfterFirstPass).toBe(true);
    const kept = decide(policy, start(), firstPassDone(1));
    const later = decide(policy, kept.state, { ...firstPassDone(14), memoryIteration: 3 });
    expect(later.actions.filter((a) => a.type === 'start-post-copy')).toEqual([]);
  });

  it('only records the verdict when the migrate call carried no post-copy flag', () => {
    const state = initialConvergenceState(policy, 0.5, {
      postCopyEnabled: false,
      postCopyAfterFirstPass: false,
      refineAfterFirstPass: true,
    });
    const d = decide(policy, state, firstPassDone(14));
    expect(d.actions.filter((a) => a.type === 'start-post-copy')).toEqual([]);
    expect(d.state.firstPass?.converges).toBe(false);
  });
});
