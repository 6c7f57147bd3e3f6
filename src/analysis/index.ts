// Public surface of the capture analyzer for services, controllers and the CLI.
export { analyzeCaptures, analyzeStreams } from './analyze-captures';
export type { AnalyzeHooks, AnalyzeProgress } from './analyze-captures';
export { CaptureFormatError } from './capture-format.error';
export { AnalysisOptionsError, DEFAULT_ANALYSIS_OPTIONS, resolveAnalysisOptions } from './core/analysis-options';
export type { AnalysisOptions, PortRange } from './core/analysis-options';
export type {
  AnalysisReport,
  ProbeReport,
  ProbeSeriesPoint,
  RttReport,
  TcpEchoReport,
  TcpStreamReport,
  TimelineBucket,
} from './core/analysis-report';
export { CaptureAnalyzer } from './core/capture-analyzer';
export { probeReport } from './core/probe-tracker';
export { formatCsv, formatTable } from './report-format';
