// The analyzer's output. Timestamps are seconds since the epoch; durations are milliseconds (see METRICS.md).

export interface TcpStreamReport {
  /** The side that opened the connection (sent to the listening port). */
  source: string;
  destination: string;
  sourcePort: number;
  destinationPort: number;
  firstPacketTs: number;
  lastPacketTs: number;
  totalMigrationTimeMs: number;
  /** TCP payload source → destination. */
  payloadBytes: number;
  /** TCP payload destination → source (acks carry none; RPC replies do). */
  reversePayloadBytes: number;
  packets: number;
  throughputMbps: number | null;
}

export interface RttReport {
  avgMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

export interface ProbeReport {
  target: string;
  probeIntervalMs: number | null;
  sent: number;
  received: number;
  lost: number;
  lossPct: number;
  maxReplyGapMs: number | null;
  downtimeMs: number | null;
  downtimeLossMs: number | null;
  jitterMs: number | null;
  rtt: RttReport;
  /** Arrival of the reply that opens maxReplyGapMs (the downtime window); null without a gap. */
  gapStartTs: number | null;
  /** Arrival of the reply that closes maxReplyGapMs. */
  gapEndTs: number | null;
}

/** One echo request to the probe target: [request time, RTT in ms or null when no reply came]. */
export type ProbeSeriesPoint = [requestTs: number, rttMs: number | null];

export interface TcpEchoReport {
  client: string;
  server: string;
  serverPort: number;
  firstPacketTs: number;
  lastPacketTs: number;
  echoedBytes: number;
  /** Largest gap between consecutive echoed (server → client) segments with payload. */
  maxStallMs: number | null;
  stallStartTs: number | null;
}

export interface TimelineBucket {
  /** Bucket start; buckets are aligned on the first packet, as tshark's io,stat does. */
  ts: number;
  packets: number;
  /** Wire bytes of all frames. */
  bytes: number;
  /** Migration payload source → destination, all streams. */
  migrationPayloadBytes: number;
}

export interface AnalysisReport {
  packets: number;
  firstPacketTs: number | null;
  lastPacketTs: number | null;
  migrations: TcpStreamReport[];
  rpc: TcpStreamReport[];
  probe: ProbeReport | null;
  tcpEcho: TcpEchoReport[];
  /** Bucket width actually used: widened (doubled) when a capture spans too many buckets. */
  timelineMs: number;
  timeline: TimelineBucket[];
  /** The probe target's requests in time order, for charts; bounded (downsampled past a cap, with a warning). */
  probeSeries?: ProbeSeriesPoint[];
  warnings: string[];
}
