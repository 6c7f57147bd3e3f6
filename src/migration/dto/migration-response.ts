import type { MigrationView } from '../migration-reads.service';
import type { PrecopyRecordInputs } from '../prediction/precopy-record';

type PredictionColumns =
  'predIterations' | 'predTotalTimeMs' | 'predDowntimeMs' | 'predConverges' | 'predTotalTimeErrorRatio' | 'precopyPrediction';

export interface MigrationPrediction {
  iterations: number | null;
  totalTimeMs: number | null;
  downtimeMs: number | null;
  converges: boolean | null;
  totalTimeErrorPct: number | null;
  inputs: PrecopyRecordInputs | null;
  notes: string[];
  madeAt: string;
}

/** A migration as the API answers it: the record, with the pre-copy prediction as one object. */
export type MigrationResponse = Omit<MigrationView, PredictionColumns> & { prediction: MigrationPrediction | null };

export function toMigrationResponse(view: MigrationView): MigrationResponse {
  const { predIterations, predTotalTimeMs, predDowntimeMs, predConverges, predTotalTimeErrorRatio, precopyPrediction, ...rest } = view;
  const prediction: MigrationPrediction | null = precopyPrediction
    ? {
        iterations: predIterations,
        totalTimeMs: predTotalTimeMs,
        downtimeMs: predDowntimeMs,
        converges: predConverges,
        totalTimeErrorPct: predTotalTimeErrorRatio === null ? null : predTotalTimeErrorRatio * 100,
        inputs: precopyPrediction.inputs,
        notes: precopyPrediction.notes,
        madeAt: precopyPrediction.madeAt,
      }
    : null;
  return { ...rest, prediction };
}
