import { describe, expect, it } from 'vitest';
import type { ProbeSeriesPoint } from '../../../src/analysis/core/analysis-report';
import type { MigrationCaptureService } from '../../../src/capture/migration-capture.service';
import type { MigrationNetworkReport, NetworkFigures } from '../../../src/capture/migration-report';
import { switchoverOutcome } from '../../../src/migration/core/switchover-outcome';
import { ReportStep } from '../../../src/migration/engine/report.step';
import type { RunContext } from '../../../src/migration/engine/run-context';
import type { MigrationState } from '../../../src/migration/migration-phase';
import type { MigrationRecorder } from '../../../src/migration/migration-recorder.service';
import type { PrecopyPredictionService } from '../../../src/migration/prediction/precopy-prediction.service';
import type { LiveMigrationEntity } from '../../../src/migration/records/live-migration.entity';
import type { LiveMigrationsRepository } from '../../../src/migration/repositories/live-migrations.repository';

const T0 = 1_764_000_000;
const I = 10;
// The guest pauses at 4.0 s for 30 ms (the switchover time and hvDowntimeMs on the record).
const SWITCHOVER = new Date((T0 + 4) * 1000);
const probes = (count: number, lost: (k: number) => boolean): ProbeSeriesPoint[] =>
  Array.from({ length: count }, (_, k) => [T0 + (k * I) / 1000, lost(k) ? null : 1]);

function networkReport(
  eastWest: ProbeSeriesPoint[],
  northSouth: ProbeSeriesPoint[] | null,
  longestDowntimeMs: number,
): MigrationNetworkReport {
  const probe = { probeIntervalMs: I } as MigrationNetworkReport['probe'];
  return {
    figures: { netDowntimeMs: longestDowntimeMs, northSouthDowntimeMs: northSouth ? longestDowntimeMs : null } as NetworkFigures,
    streams: [],
    rpc: [],
    probe,
    tcpEcho: [],
    timeline: [],
    probeSeries: eastWest,
    packets: { migration: 0, probe: eastWest.length },
    northSouth: northSouth ? { floatingIp: '192.0.2.130', probe, probeSeries: northSouth, networkConvergenceMs: null, notes: [] } : null,
    notes: [],
  };
}
const pause = { startTs: T0 + 4, endTs: T0 + 4.03, durationMs: 30, source: 'pause-event' as const, fromEventsMs: null };
// A 60 ms silence 3 s before the migration (probes 100..105), the switchover silence (400..403).
const earlyGapAndSwitchover = (k: number) => (k >= 100 && k < 106) || (k >= 400 && k < 404);

describe('switchoverOutcome', () => {
  it('takes the downtime over the gap spanning the pause, east-west and north-south, and notes the longer early gap', () => {
    const o = switchoverOutcome(networkReport(probes(600, earlyGapAndSwitchover), probes(600, earlyGapAndSwitchover), 50), pause);
    expect(o.figures.netDowntimeMs).toBeCloseTo(40, 2);
    expect(o.figures.northSouthDowntimeMs).toBeCloseTo(40, 2);
    expect(o.unreachableReason).toBeNull();
    expect(o.notes[0]).toMatch(/^east-west: the longest reply gap \(50\.0 ms of downtime\) is not the switchover's \(40\.0 ms\)/);
  });
  it('keeps the analyzer figure without a pause, and gives the reason when the guest never answered again', () => {
    expect(switchoverOutcome(networkReport(probes(600, earlyGapAndSwitchover), null, 50), null).figures.netDowntimeMs).toBe(50);
    const gone = switchoverOutcome(
      networkReport(
        probes(1200, (k) => k >= 400),
        null,
        0,
      ),
      pause,
    );
    expect(gone.figures.netDowntimeMs).toBeNull();
    expect(gone.unreachableReason).toMatch(/^the guest never answered again: east-west: no reply for the last 7999 ms/);
  });
});

class Fakes {
  saved: Partial<LiveMigrationEntity>[] = [];
  phases: [MigrationState, string | null, Date | undefined][] = [];
  migration = { id: 'm-1', state: 'completed', hvDowntimeMs: 30, finishedAt: new Date((T0 + 5) * 1000) } as LiveMigrationEntity;
  constructor(readonly report: MigrationNetworkReport) {}
  step(): ReportStep {
    const capture = { finish: () => Promise.resolve(this.report) } as unknown as MigrationCaptureService;
    const recorder = {
      save: (m: LiveMigrationEntity, c: Partial<LiveMigrationEntity>) => {
        Object.assign(m, c);
        this.saved.push(c);
        return Promise.resolve();
      },
      enterPhase: (m: LiveMigrationEntity, phase: MigrationState, detail: string | null, at?: Date) => {
        m.state = phase;
        this.phases.push([phase, detail, at]);
        return Promise.resolve();
      },
    } as unknown as MigrationRecorder;
    const prediction = { afterEnd: () => Promise.resolve() } as unknown as PrecopyPredictionService;
    const migrations = {
      phasesOf: () =>
        Promise.resolve([{ phase: 'switchover', enteredAt: SWITCHOVER, detail: 'source paused (migrated) for stop-and-copy' }]),
    } as unknown as LiveMigrationsRepository;
    return new ReportStep(capture, recorder, prediction, migrations);
  }
  ctx(): RunContext {
    return { migration: this.migration, capture: {}, switchoverAt: SWITCHOVER, networkSteps: [] } as unknown as RunContext;
  }
}

describe('ReportStep', () => {
  it('ends a completed migration whose guest never answered again as unreachable, keeping its end time', async () => {
    const f = new Fakes(
      networkReport(
        probes(1200, (k) => k >= 400),
        null,
        0,
      ),
    );
    await expect(f.step().afterEnd(f.ctx())).resolves.toBe('unreachable');
    expect(f.phases).toEqual([
      ['unreachable', expect.stringMatching(/^the guest never answered again: east-west/) as unknown, f.migration.finishedAt],
    ]);
    expect(f.saved[0]).toMatchObject({ reportState: 'ready', netDowntimeMs: null });
  });
  it('leaves a healthy migration completed, with the switchover downtime stored', async () => {
    const f = new Fakes(networkReport(probes(600, earlyGapAndSwitchover), null, 50));
    await expect(f.step().afterEnd(f.ctx())).resolves.toBeNull();
    expect(f.phases).toEqual([]);
    expect(f.saved[0].netDowntimeMs).toBeCloseTo(40, 2);
  });
});
