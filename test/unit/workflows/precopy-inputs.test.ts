import { describe, expect, it } from 'vitest';
import { MiB } from '../../../src/migration/core';
import {
  dirtyProfile,
  precopyInputs,
  predictFromInputs,
  predictionError,
  PLANNING_LINK_BYTES_PER_SEC,
  type MeasuredFacts,
} from '../../../src/migration/prediction/precopy-inputs';

const facts = (over: Partial<MeasuredFacts> = {}): MeasuredFacts => ({
  ramMiB: 128,
  previousFirstRoundBytes: null,
  hostMemory: null,
  dirtyWindows: [
    { seconds: 1, mibPerSec: 4 },
    { seconds: 2, mibPerSec: 2 },
  ],
  dirtyRateMode: 'page-sampling',
  policyBandwidthMiBps: 0,
  maxDowntimeMs: 300,
  link: { speedBitsPerSec: 10e9, shapedRateBitsPerSec: null },
  recentSetupMs: [],
  ...over,
});

describe('dirtyProfile', () => {
  it('a guest rewriting the same pages: the working set is the mean of both windows, dirtied within the first second', () => {
    expect(
      dirtyProfile([
        { seconds: 1, mibPerSec: 4 },
        { seconds: 2, mibPerSec: 1 },
      ]),
    ).toMatchObject({ rateBytesPerSec: 3 * MiB, workingSetBytes: 3 * MiB });
    // A coarse second window that saw nothing still counts as a sample of the same working set.
    expect(
      dirtyProfile([
        { seconds: 1, mibPerSec: 10 },
        { seconds: 2, mibPerSec: 0 },
      ]),
    ).toMatchObject({ rateBytesPerSec: 5 * MiB, workingSetBytes: 5 * MiB });
  });

  it('a guest dirtying new memory: no working set, the mean of both rates', () => {
    expect(
      dirtyProfile([
        { seconds: 1, mibPerSec: 4 },
        { seconds: 2, mibPerSec: 3 },
      ]),
    ).toMatchObject({ rateBytesPerSec: 3.5 * MiB, workingSetBytes: null });
  });

  it('needs a window', () => {
    expect(() => dirtyProfile([])).toThrow(RangeError);
  });
});

describe('precopyInputs', () => {
  it('takes the policy cap under the link, and the link for stop-and-copy (QEMU lifts its cap)', () => {
    const inputs = precopyInputs(facts({ policyBandwidthMiBps: 12 }));
    expect(inputs).toMatchObject({ bandwidthBytesPerSec: 12 * MiB, bandwidthSource: 'policy-cap', switchoverBandwidthBytesPerSec: 1.25e9 });
  });

  it('a tc shaper on the link wins over the interface speed and over a higher cap', () => {
    const inputs = precopyInputs(facts({ policyBandwidthMiBps: 100, link: { speedBitsPerSec: 10e9, shapedRateBitsPerSec: 40e6 } }));
    expect(inputs).toMatchObject({ bandwidthBytesPerSec: 5e6, bandwidthSource: 'link-shaped', switchoverBandwidthBytesPerSec: 5e6 });
  });

  it('falls back to the planning default without a link', () => {
    expect(precopyInputs(facts({ link: null }))).toMatchObject({
      bandwidthBytesPerSec: PLANNING_LINK_BYTES_PER_SEC,
      bandwidthSource: 'planning-default',
    });
  });

  it("copies the guest's non-zero RAM (the agent's scan), else what its previous migration sent first, else all of RAM; takes the median setup", () => {
    expect(precopyInputs(facts())).toMatchObject({ residentBytes: 128 * MiB, residentSource: 'ram', hostResidentBytes: null, setupSec: 0 });
    expect(precopyInputs(facts({ previousFirstRoundBytes: 90 * MiB, recentSetupMs: [3, 50, 5] }))).toMatchObject({
      residentBytes: 90 * MiB,
      residentSource: 'previous-migration',
      setupSec: 0.005,
    });
    expect(
      precopyInputs(facts({ previousFirstRoundBytes: 90 * MiB, hostMemory: { residentBytes: 110 * MiB, nonZeroBytes: 85 * MiB } })),
    ).toMatchObject({
      residentBytes: 85 * MiB,
      residentSource: 'host-nonzero',
      hostResidentBytes: 110 * MiB,
    });
  });
});

describe('prediction and its error', () => {
  it('a bounded working set converges where an unbounded rate at the same speed would not', () => {
    const capped = precopyInputs(
      facts({
        policyBandwidthMiBps: 12,
        previousFirstRoundBytes: 90 * MiB,
        dirtyWindows: [
          { seconds: 1, mibPerSec: 10 },
          { seconds: 2, mibPerSec: 5 },
        ],
      }),
    );
    expect(capped.workingSetBytes).toBe(10 * MiB);
    const bounded = predictFromInputs(capped);
    expect(bounded.converges).toBe(true);
    // 90 MiB at 12 MiB/s (7.5 s), then the 10 MiB working set (0.83 s), then rounds shrinking by 10/12
    // until one dirties less than 300 ms at 12 MiB/s.
    expect(bounded.iterations).toBe(7);
    expect(bounded.totalTimeMs).toBeGreaterThan(10_500);
    expect(bounded.totalTimeMs).toBeLessThan(11_000);
    const unbounded = predictFromInputs({ ...capped, workingSetBytes: null, dirtyRateBytesPerSec: 13 * MiB });
    expect(unbounded.converges).toBe(false);
  });

  it('is measured against the hypervisor total time, and absent without one', () => {
    const p = { iterations: 3, totalTimeMs: 9000, downtimeMs: 20, transferredBytes: 1, converges: true, reason: null };
    expect(predictionError(p, { hvTotalTimeMs: 8000, hvDowntimeMs: 17, hvIterations: 6, netTotalMigrationTimeMs: 7800 })).toEqual({
      actualTotalTimeMs: 8000,
      totalTimeErrorMs: 1000,
      totalTimeRelative: 0.125,
      networkTotalTimeMs: 7800,
      actualDowntimeMs: 17,
      actualIterations: 6,
    });
    expect(predictionError(p, { hvTotalTimeMs: null, hvDowntimeMs: null, hvIterations: null, netTotalMigrationTimeMs: null })).toBeNull();
  });
});
