// Nova's stepped max-downtime schedule (nova/virt/libvirt/migration.py), as pure functions.

export interface DowntimeStepsConfig {
  /** Final max downtime (Nova live_migration_downtime). */
  readonly maxDowntimeMs: number;
  /** Number of increases (Nova live_migration_downtime_steps). */
  readonly steps: number;
  /** Wait between increases per GiB of data (Nova live_migration_downtime_delay). */
  readonly delaySecPerGiB: number;
}

export interface DowntimeStep {
  readonly timeSec: number;
  readonly downtimeMs: number;
}

/**
 * steps+1 pairs rising linearly from maxDowntimeMs/steps to maxDowntimeMs.
 * Values are truncated to integers exactly as Nova does with int().
 */
export function downtimeSteps(config: DowntimeStepsConfig, dataGiB: number): DowntimeStep[] {
  const { maxDowntimeMs, steps } = config;
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be an integer >= 1, got ${steps}`);
  const delaySec = Math.trunc(config.delaySecPerGiB * dataGiB);
  const base = maxDowntimeMs / steps;
  const offset = (maxDowntimeMs - base) / steps;
  const out: DowntimeStep[] = [];
  for (let i = 0; i <= steps; i++) {
    out.push({ timeSec: Math.trunc(delaySec * i), downtimeMs: Math.trunc(base + offset * i) });
  }
  return out;
}

/**
 * The downtime the schedule calls for now, or null when nothing must change
 * (no step reached yet, or the current value already matches).
 * Like Nova, a step applies once elapsed is strictly past its time.
 */
export function updateDowntime(steps: readonly DowntimeStep[], elapsedSec: number, currentMs: number | null): number | null {
  let current: DowntimeStep | null = null;
  for (const step of steps) {
    if (elapsedSec > step.timeSec) current = step;
  }
  if (current === null || current.downtimeMs === currentMs) return null;
  return current.downtimeMs;
}
