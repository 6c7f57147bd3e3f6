import type { ConvergencePolicy } from './convergence';
import type { MigrateFlagName, MigrateRequest } from '../libvirt';

export interface MigrateRequestInput {
  destinationLibvirtUri: string;
  destinationMigrationAddress: string;
  policy: ConvergencePolicy;
  initialMaxDowntimeMs: number | undefined;
  sharedStorageProven: boolean;
}

/** Pure: livemig's pre-copy migration as a virDomainMigrateToURI3 request. */
export function buildMigrateRequest(input: MigrateRequestInput): MigrateRequest {
  const { policy } = input;
  const flags: MigrateFlagName[] = ['LIVE', 'PEER2PEER', 'PERSIST_DEST', 'UNDEFINE_SOURCE', 'ABORT_ON_ERROR'];
  // libvirt only trusts real cluster filesystems; UNSAFE is passed only after livemig proved sharing itself.
  if (input.sharedStorageProven) flags.push('UNSAFE');
  if (policy.allowAutoConverge) flags.push('AUTO_CONVERGE');
  if (policy.allowPostCopy) flags.push('POSTCOPY');
  const address = input.destinationMigrationAddress.includes(':')
    ? `[${input.destinationMigrationAddress}]`
    : input.destinationMigrationAddress;
  return {
    destinationUri: input.destinationLibvirtUri,
    flags,
    params: {
      migrateUri: `tcp://${address}`,
      ...(policy.bandwidthMiBps > 0 ? { bandwidthMiBps: policy.bandwidthMiBps } : {}),
      ...(input.initialMaxDowntimeMs !== undefined ? { maxDowntimeMs: input.initialMaxDowntimeMs } : {}),
      ...(policy.allowAutoConverge
        ? { autoConvergeInitialPct: policy.autoConvergeInitialPct, autoConvergeIncrementPct: policy.autoConvergeIncrementPct }
        : {}),
    },
  };
}
