import { describe, expect, it } from 'vitest';
import {
  chooseStrategy,
  hypervisorAbility,
  LIVEMIG_DEFAULT,
  NOVA_DEFAULT,
  requiredThrottlePct,
  versionNumber,
  type ConvergencePolicy,
  type StrategyInputs,
} from '../../../src/migration/core';

const MiB = 2 ** 20;
const lab = hypervisorAbility({ libvirt: versionNumber(9, 0), qemu: versionNumber(7, 2, 22) });
const newer = hypervisorAbility({ libvirt: versionNumber(10, 10), qemu: versionNumber(10, 0) });

// A lab.small guest on a link shaped to 100 Mbit/s.
const base: StrategyInputs = {
  ramBytes: 512 * MiB,
  residentBytes: 400 * MiB,
  dirtyRateBytesPerSec: 1 * MiB,
  workingSetBytes: null,
  linkBytesPerSec: 12.5e6,
  linkSource: 'measured',
  singleStreamBytesPerSec: null,
  cpuHeadroomCores: null,
  compressionRatio: null,
  maxDowntimeMs: 166,
  setupSec: 0.5,
  ability: lab,
};

describe('hypervisorAbility', () => {
  it('the lab (libvirt 9.0, QEMU 7.2): multifd, post-copy and auto-converge, no zstd, no post-copy over multifd', () => {
    expect(lab).toMatchObject({ multifd: true, multifdCompression: [], postCopy: true, postCopyWithMultifd: false, autoConverge: true });
  });
  it('libvirt 9.4+ passes zstd; QEMU 10 runs post-copy over multifd', () => {
    expect(newer).toMatchObject({ multifdCompression: ['zstd'], postCopyWithMultifd: true });
  });
  it('unknown versions: no multifd', () => {
    expect(hypervisorAbility(null)).toMatchObject({ multifd: false, postCopy: true });
  });
});

describe('requiredThrottlePct', () => {
  it.each([
    [0, 10, 0],
    [5, 10, 0],
    [10, 10, 50],
    [20, 10, 75],
    [1000, 10, 99],
  ])('dirty %d against %d → %d %%', (dirty, bw, pct) => {
    expect(requiredThrottlePct(dirty, bw)).toBe(pct);
  });
});

describe('chooseStrategy (auto)', () => {
  const policy = LIVEMIG_DEFAULT;

  it('an idle guest: plain pre-copy, post-copy flag kept for a stall', () => {
    const s = chooseStrategy(policy, base);
    expect(s).toMatchObject({
      kind: 'pre-copy',
      multifdChannels: 1,
      autoConverge: null,
      postCopyEnabled: true,
      postCopyAfterFirstPass: false,
      refineAfterFirstPass: true,
    });
    expect(s.predicted?.converges).toBe(true);
    expect(s.reason).toMatch(/converges in \d+ rounds/);
    expect(s.reason).toMatch(/checked again on the first pass/);
  });

  it('a pre-copy choice that could not switch to post-copy is not checked again (nothing mid-job would change)', () => {
    const s = chooseStrategy({ ...policy, allowPostCopy: false }, base);
    expect(s).toMatchObject({ kind: 'pre-copy', postCopyEnabled: false, refineAfterFirstPass: false });
  });

  it('a single stream at a third of the link: multifd with enough channels', () => {
    const s = chooseStrategy(policy, { ...base, linkBytesPerSec: 1.25e9, singleStreamBytesPerSec: 0.4e9, dirtyRateBytesPerSec: 50 * MiB });
    expect(s).toMatchObject({ kind: 'multifd', multifdChannels: 4 });
    // QEMU 7.2 refuses post-copy with multifd: the flag is not asked for.
    expect(s.postCopyEnabled).toBe(false);
    expect(s.reason).toMatch(/bottleneck/);
  });

  it('the stream is not the bottleneck: one stream', () => {
    const s = chooseStrategy(policy, { ...base, singleStreamBytesPerSec: 12e6 });
    expect(s.multifdChannels).toBe(1);
  });

  it('pre-copy will not converge but a throttle the policy accepts would: auto-converge from the start at that throttle', () => {
    const accepting = { ...policy, autoConvergeMaxPct: 60 };
    const s = chooseStrategy(accepting, { ...base, dirtyRateBytesPerSec: 12e6 });
    expect(s.kind).toBe('auto-converge');
    expect(s.autoConverge).toEqual({ initialPct: 50, incrementPct: 10 });
    expect(s.predicted?.converges).toBe(true);
    // The same guest under the default (at most 40 %): post-copy instead.
    expect(chooseStrategy(policy, { ...base, dirtyRateBytesPerSec: 12e6 }).kind).toBe('post-copy-after-first-pass');
  });

  it('dirtying at or above the link: post-copy after the first pass, one stream on QEMU 7.2', () => {
    const s = chooseStrategy(policy, { ...base, dirtyRateBytesPerSec: 13e6 });
    expect(s).toMatchObject({
      kind: 'post-copy-after-first-pass',
      postCopyEnabled: true,
      postCopyAfterFirstPass: true,
      multifdChannels: 1,
    });
    expect(s.reason).toMatch(/no roll-back once switched/);
    // One pass of 400 MiB at 12.5 MB/s, then at most all of RAM again.
    expect(s.predicted?.totalTimeSec).toBeGreaterThan(33);
    expect(s.predicted?.totalTimeSec).toBeLessThan(33 + 43 + 1);
  });

  it('post-copy not allowed: auto-converge even above the accepted throttle', () => {
    const p: ConvergencePolicy = { ...policy, allowPostCopy: false, stallEscalation: ['raise-downtime', 'pause'] };
    const s = chooseStrategy(p, { ...base, dirtyRateBytesPerSec: 13e6 });
    expect(s).toMatchObject({ kind: 'auto-converge', postCopyEnabled: false });
    expect(s.autoConverge?.initialPct).toBe(55);
  });

  it('neither allowed: pre-copy, and the reason says the stall detector acts', () => {
    const p: ConvergencePolicy = { ...policy, allowPostCopy: false, allowAutoConverge: false, stallEscalation: ['pause'] };
    const s = chooseStrategy(p, { ...base, dirtyRateBytesPerSec: 13e6 });
    expect(s.kind).toBe('pre-copy');
    expect(s.reason).toMatch(/stall detector/);
  });

  it('compressible memory, idle CPUs and zstd available: multifd-zstd when it beats the plain copy', () => {
    const inputs = { ...base, ability: newer, dirtyRateBytesPerSec: 13e6, compressionRatio: 3, cpuHeadroomCores: 4 };
    const s = chooseStrategy(policy, inputs);
    expect(s).toMatchObject({ kind: 'multifd-zstd', compression: 'zstd', multifdChannels: 2 });
    expect(s.predicted?.converges).toBe(true);
    // Without zstd in libvirt (the lab), or without the CPU, it is not chosen.
    expect(chooseStrategy(policy, { ...inputs, ability: lab }).kind).not.toBe('multifd-zstd');
    expect(chooseStrategy(policy, { ...inputs, cpuHeadroomCores: 1 }).kind).not.toBe('multifd-zstd');
    expect(chooseStrategy(policy, { ...inputs, compressionRatio: 1.1 }).kind).not.toBe('multifd-zstd');
  });
});

describe('chooseStrategy (fixed)', () => {
  it('a named policy keeps its own flags', () => {
    expect(chooseStrategy(NOVA_DEFAULT, { ...base, dirtyRateBytesPerSec: 13e6 })).toMatchObject({
      kind: 'pre-copy',
      multifdChannels: 1,
      autoConverge: null,
      postCopyEnabled: false,
      predicted: null,
    });
    const p = { ...NOVA_DEFAULT, allowAutoConverge: true, allowPostCopy: true, multifdChannels: 2 };
    const s = chooseStrategy(p, base);
    expect(s).toMatchObject({ kind: 'auto-converge', multifdChannels: 2, autoConverge: { initialPct: 20, incrementPct: 10 } });
    expect(s.postCopyEnabled).toBe(false);
    expect(s.reason).toMatch(/post-copy not available/);
  });
});
