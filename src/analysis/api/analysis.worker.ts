import { parentPort, workerData } from 'node:worker_threads';
import { analyzeStreams } from '../analyze-captures';
import { fileChunks } from '../format/file-chunks';
import { CaptureFormatError } from '../capture-format.error';
import { AnalysisOptionsError } from '../core/analysis-options';
import type { AnalysisJob, WorkerAnswer } from './analysis-job';

// Entry of one analysis worker thread: runs the job given in workerData, posts one WorkerAnswer, exits.
async function run(job: AnalysisJob): Promise<WorkerAnswer> {
  try {
    const streams = job.captures.map((c) => ({
      name: c.name,
      stream: fileChunks(c.path, c.start, c.end),
    }));
    return { ok: true, report: await analyzeStreams(streams, job.options) };
  } catch (err) {
    if (err instanceof CaptureFormatError) return { ok: false, kind: 'format', reason: err.reason, offset: err.offset, file: err.file };
    if (err instanceof AnalysisOptionsError) return { ok: false, kind: 'options', message: err.message };
    return { ok: false, kind: 'crash', message: err instanceof Error ? err.message : String(err) };
  }
}

const { job } = workerData as { job: AnalysisJob };
void run(job).then((answer) => parentPort?.postMessage(answer));
