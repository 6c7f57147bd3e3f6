import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CaptureFormatError } from '../capture-format.error';
import { AnalysisOptionsError } from '../core/analysis-options';
import type { AnalysisReport } from '../core/analysis-report';
import { AnalysisBudgetError, type AnalysisJob, type WorkerAnswer } from './analysis-job';

export interface AnalysisPoolLimits {
  /** Analyses running at once, each in its own worker thread. */
  workers: number;
  /** Wall-clock budget of one analysis; past it the worker is terminated. */
  timeoutMs: number;
  /** Analyses waiting for a worker; past it new ones are refused at once. */
  maxQueued: number;
  /** Heap budget of one worker: a runaway analysis dies alone instead of taking the API down. */
  heapMiB: number;
}

// Compiled, the worker is analysis.worker.js beside this file. From TypeScript sources (the test runner) the
// worker transpiles its own modules with TypeScript, a dev dependency the build never needs (SWC's native
// binding does not survive worker threads being terminated).
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (workerData.entry.endsWith('.ts')) {
  const req = require('node:module').createRequire(workerData.entry);
  const ts = req('typescript');
  const fs = require('node:fs');
  const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
  req.extensions['.ts'] = (m, filename) =>
    m._compile(ts.transpileModule(fs.readFileSync(filename, 'utf8'), { fileName: filename, compilerOptions }).outputText, filename);
}
require(workerData.entry);
`;
const WORKER_ENTRY = join(__dirname, `analysis.worker${extname(__filename) === '.ts' ? '.ts' : '.js'}`);

// A concurrency limit in front of one short-lived worker thread per analysis: the API's event loop only moves
// bytes, a stuck or huge analysis is terminated on its budget, and its memory goes with its thread.
export class AnalysisWorkerPool {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly live = new Set<Worker>();

  constructor(private readonly limits: AnalysisPoolLimits) {}

  get queued(): number {
    return this.waiting.length;
  }

  async run(job: AnalysisJob): Promise<AnalysisReport> {
    if (this.running >= this.limits.workers) {
      if (this.waiting.length >= this.limits.maxQueued) {
        throw new AnalysisBudgetError('queue', `${this.waiting.length} analyses are already waiting; try again later`);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running += 1;
    try {
      return await this.runInWorker(job);
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }

  /** Stops every running analysis (module shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.live].map((w) => w.terminate()));
  }

  private runInWorker(job: AnalysisJob): Promise<AnalysisReport> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(BOOTSTRAP, {
        eval: true,
        workerData: { entry: WORKER_ENTRY, job },
        resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMiB },
      });
      this.live.add(worker);
      let settled = false;
      const settle = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.live.delete(worker);
        void worker.terminate();
        fn();
      };
      const timer = setTimeout(
        () =>
          settle(() =>
            reject(
              new AnalysisBudgetError('time', `the analysis took longer than its budget of ${this.limits.timeoutMs} ms and was stopped`),
            ),
          ),
        this.limits.timeoutMs,
      );
      worker.once('message', (answer: WorkerAnswer) => settle(() => (answer.ok ? resolve(answer.report) : reject(toError(answer)))));
      worker.once('error', (err: Error & { code?: string }) =>
        settle(() =>
          reject(
            err.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? new AnalysisBudgetError('memory', `the analysis needed more than its budget of ${this.limits.heapMiB} MiB of heap`)
              : err,
          ),
        ),
      );
      worker.once('exit', (code) => settle(() => reject(new Error(`analysis worker exited with code ${code} before answering`))));
    });
  }
}

function toError(answer: Exclude<WorkerAnswer, { ok: true }>): Error {
  switch (answer.kind) {
    case 'format':
      return new CaptureFormatError(answer.reason, answer.offset, answer.file);
    case 'options':
      return new AnalysisOptionsError(answer.message);
    case 'crash':
      return new Error(`analysis failed: ${answer.message}`);
  }
}
