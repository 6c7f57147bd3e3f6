import { CONVERGENCE_PRESETS } from '../../../src/migration/core';
import type { LiveMigrationEntity } from '../../../src/migration/records/live-migration.entity';

/** A completed m1.small migration record between two hosts, for report tests that insert rows directly. */
export function completedMigrationRow(
  n: number,
  hostIds: readonly string[],
  over: Partial<LiveMigrationEntity> = {},
): Partial<LiveMigrationEntity> {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    id,
    instanceId: `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    instanceName: `vm-${n}`,
    domainName: `instance-${String(n).padStart(4, '0')}`,
    flavorName: 'm1.small',
    flavorRamMiB: 2048,
    sourceHostId: hostIds[0],
    destinationHostId: hostIds[1],
    state: 'completed',
    policyName: 'nova-default',
    policy: CONVERGENCE_PRESETS['nova-default'],
    convergenceEvents: [],
    finishedAt: new Date(Date.UTC(2026, 10, 22, 3, n)),
    ...over,
  };
}
