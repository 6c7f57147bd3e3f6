import { describe, expect, it } from 'vitest';
import {
  CONVERGENCE_PRESETS,
  isConvergencePresetName,
  mergePolicy,
  NOVA_DEFAULT,
  withCurrentPolicyKeys,
} from '../../../src/migration/core';

describe('presets', () => {
  it.each(Object.entries(CONVERGENCE_PRESETS))('%s passes its own validation', (_name, preset) => {
    expect(mergePolicy(preset, {})).toEqual({ ok: true, policy: preset });
  });

  it('carries Nova’s documented defaults', () => {
    expect(NOVA_DEFAULT).toMatchObject({
      maxDowntimeMs: 500,
      downtimeSteps: 10,
      downtimeDelaySecPerGiB: 75,
      completionTimeoutSecPerGiB: 800,
      timeoutAction: 'abort',
    });
  });

  it.each([
    ['nova-default', true],
    ['post-copy', true],
    ['toString', false],
    ['fastest', false],
  ] as const)('isConvergencePresetName(%s) = %s', (name, expected) => {
    expect(isConvergencePresetName(name)).toBe(expected);
  });
});

describe('mergePolicy', () => {
  it('accepts the names before the unit-suffix convention for the same knobs', () => {
    const result = mergePolicy(NOVA_DEFAULT, { completionTimeoutPerGiBSec: 60, downtimeDelayPerGiBSec: 5 });
    expect(result).toEqual({ ok: true, policy: { ...NOVA_DEFAULT, completionTimeoutSecPerGiB: 60, downtimeDelaySecPerGiB: 5 } });
  });

  it('reads a stored policy with the old names as today’s', () => {
    const { completionTimeoutSecPerGiB, downtimeDelaySecPerGiB, ...rest } = NOVA_DEFAULT;
    const stored = { ...rest, completionTimeoutPerGiBSec: completionTimeoutSecPerGiB, downtimeDelayPerGiBSec: downtimeDelaySecPerGiB };
    expect(withCurrentPolicyKeys(stored)).toEqual(NOVA_DEFAULT);
    expect(withCurrentPolicyKeys(NOVA_DEFAULT)).toEqual(NOVA_DEFAULT);
  });

  it('applies valid overrides and leaves the base untouched', () => {
    const result = mergePolicy(NOVA_DEFAULT, { maxDowntimeMs: 300, timeoutAction: 'force-complete', forceCompleteMaxDowntimeMs: null });
    expect(result).toEqual({ ok: true, policy: { ...NOVA_DEFAULT, maxDowntimeMs: 300, timeoutAction: 'force-complete' } });
    expect(NOVA_DEFAULT.maxDowntimeMs).toBe(500);
  });

  it.each([
    { overrides: { maxDowntime: 300 }, error: 'unknown policy field maxDowntime' },
    { overrides: { maxDowntimeMs: '300' }, error: 'maxDowntimeMs must be a number' },
    { overrides: { maxDowntimeMs: Number.NaN }, error: 'maxDowntimeMs must be a number' },
    { overrides: { maxDowntimeMs: 0 }, error: 'maxDowntimeMs must be within 1..60000' },
    { overrides: { downtimeSteps: 2.5 }, error: 'downtimeSteps must be an integer' },
    { overrides: { maxDowntimeMs: null }, error: 'maxDowntimeMs must be a number' },
    { overrides: { allowPostCopy: 'yes' }, error: 'allowPostCopy must be a boolean' },
    { overrides: { timeoutAction: 'pause' }, error: 'timeoutAction must be one of abort, force-complete' },
    { overrides: { postCopyOnSlowProgress: true }, error: 'postCopyOnSlowProgress requires allowPostCopy' },
    { overrides: { forceCompleteMaxDowntimeMs: 100 }, error: 'forceCompleteMaxDowntimeMs must not be below maxDowntimeMs' },
    {
      overrides: { autoConvergeInitialPct: 60, autoConvergeMaxPct: 50 },
      error: 'autoConvergeInitialPct must not exceed autoConvergeMaxPct',
    },
  ])('rejects $overrides', ({ overrides, error }) => {
    const result = mergePolicy(NOVA_DEFAULT, overrides);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toContain(error);
  });

  it('reports every bad field at once', () => {
    const result = mergePolicy(NOVA_DEFAULT, { nope: 1, maxDowntimeMs: -5 });
    expect(result).toEqual({ ok: false, errors: ['unknown policy field nope', 'maxDowntimeMs must be within 1..60000'] });
  });
});
