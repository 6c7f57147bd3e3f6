import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { resolveAnalysisOptions, AnalysisOptions } from './core/analysis-options';
import { AnalysisReport } from './core/analysis-report';
import { CaptureAnalyzer } from './core/capture-analyzer';
import { PacketDecoder } from './decode/packet-decoder';
import { fileChunks } from './format/file-chunks';
import { feedInTimeOrder } from './merge-packets';
import { CaptureInput, PacketSource } from './packet-source';

export interface AnalyzeProgress {
  bytesRead: number;
  totalBytes: number;
}

export interface AnalyzeHooks {
  onProgress?: (progress: AnalyzeProgress) => void;
}

/** Analyzes capture files (pcap µs/ns or pcapng), merged by timestamp. Throws CaptureFormatError on bad input. */
export async function analyzeCaptures(
  paths: string[],
  options: Partial<AnalysisOptions> = {},
  hooks: AnalyzeHooks = {},
): Promise<AnalysisReport> {
  const sizes = await Promise.all(paths.map(async (p) => (await stat(p)).size));
  const inputs = paths.map((path) => ({ name: path, chunks: fileChunks(path) }));
  return analyzeInputs(
    inputs,
    options,
    hooks,
    sizes.reduce((a, b) => a + b, 0),
  );
}

/** Analyzes captures arriving as streams (e.g. HTTP uploads). */
export async function analyzeStreams(
  streams: { name: string; stream: Readable | AsyncIterable<Buffer> }[],
  options: Partial<AnalysisOptions> = {},
  hooks: AnalyzeHooks = {},
): Promise<AnalysisReport> {
  return analyzeInputs(
    streams.map((s) => ({ name: s.name, chunks: s.stream })),
    options,
    hooks,
    0,
  );
}

async function analyzeInputs(
  inputs: CaptureInput[],
  given: Partial<AnalysisOptions>,
  hooks: AnalyzeHooks,
  totalBytes: number,
): Promise<AnalysisReport> {
  const options = resolveAnalysisOptions(given);
  const analyzer = new CaptureAnalyzer(options);
  const decoder = new PacketDecoder(analyzer.roleByPort);
  let bytesRead = 0;
  const onBytes = hooks.onProgress
    ? (n: number): void => {
        bytesRead += n;
        hooks.onProgress?.({ bytesRead, totalBytes });
      }
    : undefined;
  const direct = inputs.length === 1 ? analyzer : null;
  const sources = inputs.map((input, i) => new PacketSource(input, decoder, i, onBytes, direct));
  try {
    if (direct !== null) await sources[0].drain();
    else await feedInTimeOrder(sources, analyzer);
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
  for (const source of sources) for (const w of source.warnings) analyzer.addWarning(w);
  for (const [linkType, count] of decoder.undecodedLinkTypes) {
    analyzer.addWarning(`${count} frames of link type ${linkType} were counted but not decoded`);
  }
  return analyzer.finish();
}
