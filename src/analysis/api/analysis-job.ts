import type { AnalysisOptions } from '../core/analysis-options';
import type { AnalysisReport } from '../core/analysis-report';

/** One capture on disk: bytes [start, end) of a file (an upload's part inside its spool file). */
export interface CaptureRange {
  /** The name messages use (the uploaded file's name). */
  name: string;
  path: string;
  start: number;
  end: number;
}

/** What the API hands one analysis worker: capture byte ranges on disk and the analyst's options. */
export interface AnalysisJob {
  captures: CaptureRange[];
  options: Partial<AnalysisOptions>;
}

/** The worker's one message back: the report, or the error in plain data (errors do not cross threads whole). */
export type WorkerAnswer =
  | { ok: true; report: AnalysisReport }
  | { ok: false; kind: 'format'; reason: string; offset: number; file: string }
  | { ok: false; kind: 'options'; message: string }
  | { ok: false; kind: 'crash'; message: string };

/** An analysis stopped by a budget of the API (time, memory, queue), not by the capture's content. */
export class AnalysisBudgetError extends Error {
  override readonly name = 'AnalysisBudgetError';

  constructor(
    readonly budget: 'time' | 'memory' | 'queue',
    message: string,
  ) {
    super(message);
  }
}
