import { BadRequestException } from '@nestjs/common';
import { CONVERGENCE_PRESETS, isConvergencePresetName, mergePolicy, type ConvergencePolicy } from './core';

export const DEFAULT_POLICY = 'livemig-default';

/** A named preset with the request's overrides, validated; 400 naming the field otherwise. */
export function resolvePolicy(name: string, overrides: Record<string, unknown>): ConvergencePolicy {
  if (!isConvergencePresetName(name))
    throw new BadRequestException({ message: `unknown policy ${name}`, details: { field: 'policyName' } });
  const merged = mergePolicy(CONVERGENCE_PRESETS[name], overrides);
  if (!merged.ok)
    throw new BadRequestException({
      message: `invalid policy: ${merged.errors.join('; ')}`,
      details: [{ field: 'policy', errors: merged.errors }],
    });
  return merged.policy;
}
