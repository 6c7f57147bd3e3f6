import { Readable } from 'node:stream';
import { analyzeStreams } from '../../../src/analysis/analyze-captures';
import { AnalysisOptions } from '../../../src/analysis/core/analysis-options';
import { AnalysisReport } from '../../../src/analysis/core/analysis-report';

/** Analyzes in-memory captures, fed in chunks of chunkBytes to exercise records that span chunks. */
export function analyzeBuffers(captures: Buffer[], options: Partial<AnalysisOptions> = {}, chunkBytes = 4096): Promise<AnalysisReport> {
  return analyzeStreams(
    captures.map((buf, i) => ({ name: `capture-${i}`, stream: Readable.from(chunked(buf, chunkBytes)) })),
    options,
  );
}

function* chunked(buf: Buffer, size: number): Generator<Buffer> {
  for (let at = 0; at < buf.length; at += size) yield buf.subarray(at, Math.min(buf.length, at + size));
}
