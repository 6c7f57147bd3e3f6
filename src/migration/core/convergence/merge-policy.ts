// Per-migration overrides arrive as untyped JSON; every key is checked before it reaches the monitor loop.
import { STALL_ESCALATIONS, type ConvergencePolicy } from './policy';

type NumberRule = { kind: 'number'; min: number; max: number; integer: boolean; nullable?: boolean };
type Rule =
  NumberRule | { kind: 'boolean' } | { kind: 'enum'; values: readonly string[] } | { kind: 'enum-list'; values: readonly string[] };

const int = (min: number, max: number): NumberRule => ({ kind: 'number', min, max, integer: true });
const bool = { kind: 'boolean' } as const;

const RULES: Record<keyof ConvergencePolicy, Rule> = {
  maxDowntimeMs: int(1, 60_000),
  downtimeSteps: int(1, 1000),
  downtimeDelaySecPerGiB: int(0, 86_400),
  completionTimeoutSecPerGiB: int(0, 86_400),
  progressTimeoutSec: int(0, 86_400),
  timeoutAction: { kind: 'enum', values: ['abort', 'force-complete'] },
  allowPostCopy: bool,
  postCopyOnSlowProgress: bool,
  minProgressPerIterationPct: int(0, 100),
  forceCompleteMaxDowntimeMs: { ...int(1, 60_000), nullable: true },
  allowAutoConverge: bool,
  autoConvergeStallSec: int(1, 86_400),
  autoConvergeInitialPct: int(1, 99),
  autoConvergeIncrementPct: int(1, 99),
  autoConvergeMaxPct: int(1, 99),
  bandwidthMiBps: int(0, 1_000_000),
  strategy: { kind: 'enum', values: ['fixed', 'auto'] },
  // QEMU's multifd-channels range.
  multifdChannels: int(1, 255),
  maxMultifdChannels: int(1, 255),
  stallWindowSec: int(0, 86_400),
  stallMinDropPct: int(0, 100),
  stallEscalation: { kind: 'enum-list', values: STALL_ESCALATIONS },
};

/** Names before the unit-suffix convention (seconds per GiB); still accepted in requests and stored records. */
export const LEGACY_POLICY_KEYS: Readonly<Record<string, keyof ConvergencePolicy>> = {
  downtimeDelayPerGiBSec: 'downtimeDelaySecPerGiB',
  completionTimeoutPerGiBSec: 'completionTimeoutSecPerGiB',
};

/** A policy object with its legacy key names renamed; the current name wins when both are there. */
export function withCurrentPolicyKeys<T extends object>(policy: T): T {
  const renamed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(policy)) {
    const current = LEGACY_POLICY_KEYS[key];
    if (current === undefined) renamed[key] = value;
    else if (!Object.prototype.hasOwnProperty.call(policy, current)) renamed[current] = value;
  }
  return renamed as T;
}

export type MergePolicyResult =
  { readonly ok: true; readonly policy: ConvergencePolicy } | { readonly ok: false; readonly errors: readonly string[] };

function checkValue(key: string, rule: Rule, value: unknown): string | null {
  switch (rule.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? null : `${key} must be a boolean`;
    case 'enum':
      return typeof value === 'string' && rule.values.includes(value) ? null : `${key} must be one of ${rule.values.join(', ')}`;
    case 'enum-list': {
      const ok = Array.isArray(value) && value.every((v) => typeof v === 'string' && rule.values.includes(v));
      return ok && new Set(value).size === value.length ? null : `${key} must be a list of distinct values from ${rule.values.join(', ')}`;
    }
    case 'number':
      if (value === null && rule.nullable) return null;
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${key} must be a number`;
      if (rule.integer && !Number.isInteger(value)) return `${key} must be an integer`;
      if (value < rule.min || value > rule.max) return `${key} must be within ${rule.min}..${rule.max}`;
      return null;
  }
}

function crossFieldErrors(p: ConvergencePolicy): string[] {
  const errors: string[] = [];
  if (p.postCopyOnSlowProgress && !p.allowPostCopy) errors.push('postCopyOnSlowProgress requires allowPostCopy');
  if (p.forceCompleteMaxDowntimeMs !== null && p.forceCompleteMaxDowntimeMs < p.maxDowntimeMs) {
    errors.push('forceCompleteMaxDowntimeMs must not be below maxDowntimeMs');
  }
  if (p.autoConvergeInitialPct > p.autoConvergeMaxPct) errors.push('autoConvergeInitialPct must not exceed autoConvergeMaxPct');
  if (p.multifdChannels > p.maxMultifdChannels) errors.push('multifdChannels must not exceed maxMultifdChannels');
  if (p.stallEscalation.includes('post-copy') && !p.allowPostCopy) errors.push('stallEscalation post-copy requires allowPostCopy');
  return errors;
}

/** Base policy with overrides applied; unknown keys and out-of-range values are errors, never ignored. */
export function mergePolicy(base: ConvergencePolicy, overrides: Readonly<Record<string, unknown>>): MergePolicyResult {
  const errors: string[] = [];
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(withCurrentPolicyKeys(overrides))) {
    if (!Object.prototype.hasOwnProperty.call(RULES, key)) {
      errors.push(`unknown policy field ${key}`);
      continue;
    }
    const error = checkValue(key, RULES[key as keyof ConvergencePolicy], value);
    if (error) errors.push(error);
    else merged[key] = value;
  }
  if (errors.length > 0) return { ok: false, errors };
  const policy = merged as unknown as ConvergencePolicy;
  const cross = crossFieldErrors(policy);
  return cross.length > 0 ? { ok: false, errors: cross } : { ok: true, policy };
}
