// npm run bench:fuzz — 100,000 mutated captures through the analyzer: counts of reports, format errors, crashes
// and hangs (a case over 2 s), the slowest case and the process's peak RSS. Exits 1 on any crash or hang.
import { runFuzz } from '../test/support/pcap/mutation-fuzzer';

const CASES = Number(process.env.FUZZ_CASES ?? 100_000);
const SEED = Number(process.env.FUZZ_SEED ?? 0x15f0_2200);
const HANG_MS = 2000;

async function main(): Promise<void> {
  const start = performance.now();
  const o = await runFuzz(CASES, SEED, HANG_MS);
  const seconds = (performance.now() - start) / 1000;
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(`fuzz: ${o.cases} cases (seed 0x${SEED.toString(16)}) in ${seconds.toFixed(1)} s`);
  console.log(`  reports ${o.reports}, format errors ${o.formatErrors}, crashes ${o.crashes.length}, hangs (> ${HANG_MS} ms) ${o.hangs}`);
  console.log(
    `  slowest case ${o.slowestCaseMs.toFixed(1)} ms, max RSS ${peakRssMiB.toFixed(0)} MiB (sampled ${(o.maxRssBytes / 1048576).toFixed(0)} MiB)`,
  );
  for (const c of o.crashes.slice(0, 20)) console.log(`  crash in case ${c.index}: ${c.message}`);
  if (o.crashes.length > 0 || o.hangs > 0) process.exitCode = 1;
}

void main();
