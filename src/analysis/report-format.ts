import { AnalysisReport, ProbeReport, TcpStreamReport } from './core/analysis-report';

// Text renderings of an AnalysisReport for the CLI. JSON is the report itself.

const ms = (v: number | null, digits = 3): string => (v === null ? '-' : v.toFixed(digits));
const iso = (ts: number | null): string => (ts === null ? '-' : new Date(ts * 1000).toISOString());

function streamTable(title: string, streams: TcpStreamReport[]): string[] {
  if (streams.length === 0) return [`${title}: none`];
  const header = ['source', 'destination', 'first packet (UTC)', 'total ms', 'payload bytes', 'Mbps', 'packets'];
  const rows = streams.map((s) => [
    `${s.source}:${s.sourcePort}`,
    `${s.destination}:${s.destinationPort}`,
    iso(s.firstPacketTs),
    ms(s.totalMigrationTimeMs),
    String(s.payloadBytes),
    ms(s.throughputMbps, 1),
    String(s.packets),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => '  ' + cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [`${title}:`, line(header), ...rows.map(line)];
}

function probeLines(p: ProbeReport | null): string[] {
  if (p === null) return ['Probe: no ICMP echo requests seen'];
  return [
    `Probe (ICMP echo to ${p.target}):`,
    `  sent ${p.sent}, received ${p.received}, lost ${p.lost} (${p.lossPct.toFixed(2)} %)`,
    `  probe interval ${ms(p.probeIntervalMs)} ms, max reply gap ${ms(p.maxReplyGapMs)} ms`,
    `  downtime (gap method) ${ms(p.downtimeMs)} ms, downtime (lost × interval) ${ms(p.downtimeLossMs)} ms`,
    `  jitter ${ms(p.jitterMs)} ms, RTT avg ${ms(p.rtt.avgMs)} / p50 ${ms(p.rtt.p50Ms)} / p95 ${ms(p.rtt.p95Ms)} / max ${ms(p.rtt.maxMs)} ms`,
  ];
}

export function formatTable(r: AnalysisReport): string {
  const spanMs = r.firstPacketTs === null || r.lastPacketTs === null ? 0 : (r.lastPacketTs - r.firstPacketTs) * 1000;
  const lines = [`Capture: ${r.packets} packets, ${iso(r.firstPacketTs)} to ${iso(r.lastPacketTs)} (${spanMs.toFixed(3)} ms)`, ''];
  lines.push(...streamTable('Migration streams', r.migrations), '');
  lines.push(...streamTable('libvirt RPC', r.rpc), '');
  lines.push(...probeLines(r.probe));
  for (const e of r.tcpEcho) {
    lines.push(
      '',
      `TCP echo ${e.client} → ${e.server}:${e.serverPort}: echoed ${e.echoedBytes} bytes, longest stall ${ms(e.maxStallMs)} ms from ${iso(e.stallStartTs)}`,
    );
  }
  if (r.timeline.length > 0) {
    const peak = r.timeline.reduce((a, b) => (b.migrationPayloadBytes > a.migrationPayloadBytes ? b : a));
    lines.push(
      '',
      `Timeline: ${r.timeline.length} buckets of ${r.timelineMs} ms; peak migration payload ${peak.migrationPayloadBytes} bytes at ${iso(peak.ts)} (--format json or csv lists them)`,
    );
  }
  if (r.warnings.length > 0) lines.push('', 'Warnings:', ...r.warnings.map((w) => `  ${w}`));
  return lines.join('\n') + '\n';
}

const csvCell = (v: string | number | null): string => {
  const text = v === null ? '' : String(v);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** Long format, one value per row: section,index,field,value. Easy to filter in a spreadsheet or with awk. */
export function formatCsv(r: AnalysisReport): string {
  const rows: (string | number | null)[][] = [['section', 'index', 'field', 'value']];
  const put = (section: string, index: number, record: object): void => {
    for (const [field, value] of Object.entries(record)) {
      if (value !== null && typeof value === 'object') put(`${section}.${field}`, index, value as object);
      else rows.push([section, index, field, value as string | number | null]);
    }
  };
  put('capture', 0, { packets: r.packets, firstPacketTs: r.firstPacketTs, lastPacketTs: r.lastPacketTs, timelineMs: r.timelineMs });
  r.migrations.forEach((s, i) => put('migration', i, s));
  r.rpc.forEach((s, i) => put('rpc', i, s));
  if (r.probe !== null) put('probe', 0, r.probe);
  r.tcpEcho.forEach((s, i) => put('tcpEcho', i, s));
  r.timeline.forEach((b, i) => put('timeline', i, b));
  r.warnings.forEach((w, i) => rows.push(['warning', i, 'text', w]));
  return rows.map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}
