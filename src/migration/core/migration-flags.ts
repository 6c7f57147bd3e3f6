import type { ConvergencePolicy, CopyStrategy } from './convergence';
import type { MigrateFlagName, MigrateRequest } from '../libvirt';

export interface MigrateRequestInput {
  destinationLibvirtUri: string;
  destinationMigrationAddress: string;
  policy: ConvergencePolicy;
  /** What libvirt takes only at the start: multifd channels, compression, auto-converge, the post-copy flag. */
  strategy: CopyStrategy;
  initialMaxDowntimeMs: number | undefined;
  sharedStorageProven: boolean;
}

/** Pure: livemig's migration as a virDomainMigrateToURI3 request (flags and parameters). */
export function buildMigrateRequest(input: MigrateRequestInput): MigrateRequest {
  const { policy, strategy } = input;
  const flags: MigrateFlagName[] = ['LIVE', 'PEER2PEER', 'PERSIST_DEST', 'UNDEFINE_SOURCE', 'ABORT_ON_ERROR'];
  // libvirt only trusts real cluster filesystems; UNSAFE is passed only after livemig proved sharing itself.
  if (input.sharedStorageProven) flags.push('UNSAFE');
  if (strategy.autoConverge) flags.push('AUTO_CONVERGE');
  if (strategy.postCopyEnabled) flags.push('POSTCOPY');
  if (strategy.multifdChannels > 1) flags.push('PARALLEL');
  if (strategy.compression) flags.push('COMPRESSED');
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
      ...(strategy.autoConverge
        ? { autoConvergeInitialPct: strategy.autoConverge.initialPct, autoConvergeIncrementPct: strategy.autoConverge.incrementPct }
        : {}),
      ...(strategy.multifdChannels > 1 ? { parallelConnections: strategy.multifdChannels } : {}),
      ...(strategy.compression ? { compression: [strategy.compression] } : {}),
    },
  };
}
