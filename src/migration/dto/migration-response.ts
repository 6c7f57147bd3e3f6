import type { MigrationView } from '../migration-reads.service';
import type { PostCopyRecord, PrecopyRecordInputs, StrategyRecord } from '../prediction/precopy-record';

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
  /** The copy strategy chosen before the start: kind, channels, throttle, post-copy, reason and inputs. */
  strategy: StrategyRecord | null;
  /** Set when the run switched to post-copy. */
  postCopy: PostCopyRecord | null;
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
        strategy: precopyPrediction.strategy ?? null,
        postCopy: precopyPrediction.postCopy ?? null,
      }
    : null;
  return { ...rest, prediction };
}
