import type { LiveMigrationEntity } from '../../migration/records/live-migration.entity';

// The columns each report reads, so a query loads no more of the migration record than it draws.

export const CHART_COLUMNS = [
  'id',
  'instanceName',
  'flavorName',
  'sourceHostId',
  'destinationHostId',
  'finishedAt',
  'state',
  'failureReason',
  'reportState',
  'reportError',
  'report',
  'netDowntimeMs',
  'northSouthDowntimeMs',
  'hvDowntimeMs',
  'guestResumedAt',
  'networkSteps',
  'pathChanges',
  'precopyPrediction',
] as const satisfies readonly (keyof LiveMigrationEntity)[];

export const FIGURE_COLUMNS = [
  'flavorName',
  'flavorRamMiB',
  'netTotalMigrationTimeMs',
  'netDowntimeMs',
  'netDowntimeLossMs',
  'northSouthDowntimeMs',
  'hvDowntimeMs',
  'hvTotalTimeMs',
  'netLossPct',
  'netJitterMs',
  'netRttAvgMs',
] as const satisfies readonly (keyof LiveMigrationEntity)[];

export const REPORT_COLUMNS = [
  'id',
  'instanceName',
  'flavorName',
  'state',
  'failureReason',
  'reportState',
  'reportError',
  'report',
  'netTotalMigrationTimeMs',
  'netPayloadBytes',
  'netThroughputMbps',
  'netDowntimeMs',
  'netDowntimeLossMs',
  'netLossPct',
  'netJitterMs',
  'netRttAvgMs',
  'netMaxReplyGapMs',
  'netProbeIntervalMs',
  'northSouthDowntimeMs',
  'northSouthLossPct',
  'networkConvergenceMs',
  'networkSteps',
  'pathChanges',
  'guestResumedAt',
  'hvTotalTimeMs',
  'hvDowntimeMs',
  'hvSetupTimeMs',
  'hvDataProcessedBytes',
  'hvIterations',
  'hvDirtyRatePagesPerSec',
  'predIterations',
  'predTotalTimeMs',
  'predDowntimeMs',
  'predConverges',
  'predTotalTimeErrorRatio',
  'precopyPrediction',
] as const satisfies readonly (keyof LiveMigrationEntity)[];

/** What the chart and the report page draw of one migration. */
export type ChartRow = Pick<LiveMigrationEntity, (typeof CHART_COLUMNS)[number]>;
/** What the per-flavor aggregates read of one completed migration. */
export type FiguresRow = Pick<LiveMigrationEntity, (typeof FIGURE_COLUMNS)[number]>;
/** Everything the side-by-side migration report shows. */
export type ReportRow = Pick<LiveMigrationEntity, (typeof REPORT_COLUMNS)[number]>;
