import type { ReportRow } from './repositories/report-columns';
import { toSwitchoverTimeline, type SwitchoverPhase } from './switchover-view';

/**
 * Pure: one stored migration as the report route shows it — network, hypervisor and model side by side, and the
 * switchover as a timeline (steps and lost probes against the pause, the gap and mtr methods explained).
 */
export function toMigrationReportView(m: ReportRow, switchoverPhase: SwitchoverPhase | null = null) {
  const switchover = toSwitchoverTimeline(m, switchoverPhase);
  // libvirt's downtime figure is the source's view; the events give the pause the guest had end to end.
  const pauseMs = switchover?.pause.fromEventsMs ?? null;
  return {
    migrationId: m.id,
    instanceName: m.instanceName,
    flavorName: m.flavorName,
    state: m.state,
    // Why it did not simply complete: for `unreachable`, the stream that never answered again and since when.
    failureReason: m.failureReason,
    reportState: m.reportState,
    reportError: m.reportError,
    // eastWestMs: the prober on the tenant network; northSouthMs: the external network to the floating IP.
    downtime: {
      networkMs: m.netDowntimeMs,
      lossMethodMs: m.netDowntimeLossMs,
      hypervisorMs: m.hvDowntimeMs,
      eastWestMs: m.netDowntimeMs,
      northSouthMs: m.northSouthDowntimeMs,
      eastWestMinusHvMs: minus(m.netDowntimeMs, m.hvDowntimeMs),
      northSouthMinusHvMs: minus(m.northSouthDowntimeMs, m.hvDowntimeMs),
      pauseFromEventsMs: pauseMs,
      eastWestMinusPauseMs: minus(m.netDowntimeMs, pauseMs),
      northSouthMinusPauseMs: minus(m.northSouthDowntimeMs, pauseMs),
    },
    switchover,
    totalTime: { networkMs: m.netTotalMigrationTimeMs, hypervisorMs: m.hvTotalTimeMs, predictedMs: m.predTotalTimeMs },
    data: { networkPayloadBytes: m.netPayloadBytes, hypervisorDataProcessedBytes: m.hvDataProcessedBytes },
    network: {
      totalMigrationTimeMs: m.netTotalMigrationTimeMs,
      payloadBytes: m.netPayloadBytes,
      throughputMbps: m.netThroughputMbps,
      downtimeMs: m.netDowntimeMs,
      downtimeLossMs: m.netDowntimeLossMs,
      lossPct: m.netLossPct,
      jitterMs: m.netJitterMs,
      rttAvgMs: m.netRttAvgMs,
      maxReplyGapMs: m.netMaxReplyGapMs,
      probeIntervalMs: m.netProbeIntervalMs,
      northSouthDowntimeMs: m.northSouthDowntimeMs,
      northSouthLossPct: m.northSouthLossPct,
      networkConvergenceMs: m.networkConvergenceMs,
    },
    networkSteps: m.networkSteps ?? [],
    // The peers whose path class the move changed (null: not computed, e.g. a migration older than this field).
    pathChanges: m.pathChanges,
    hypervisor: {
      hvTotalTimeMs: m.hvTotalTimeMs,
      hvDowntimeMs: m.hvDowntimeMs,
      hvSetupTimeMs: m.hvSetupTimeMs,
      hvDataProcessedBytes: m.hvDataProcessedBytes,
      hvIterations: m.hvIterations,
      hvDirtyRatePagesPerSec: m.hvDirtyRatePagesPerSec,
    },
    prediction: {
      iterations: m.predIterations,
      totalTimeMs: m.predTotalTimeMs,
      downtimeMs: m.predDowntimeMs,
      converges: m.predConverges,
      // Against the hypervisor's total time; the network-observed time is in detail for reference.
      totalTimeError: m.predTotalTimeErrorRatio,
      detail: m.precopyPrediction,
    },
    detail: m.report,
  };
}

function minus(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a - b;
}

export type MigrationReportView = ReturnType<typeof toMigrationReportView>;
