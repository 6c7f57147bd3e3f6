import { describe, expect, it } from 'vitest';
import { runFuzz } from '../../support/pcap/mutation-fuzzer';

// Deterministic: the same seed gives the same 10,000 mutated captures on every run (npm run bench:fuzz: 100,000).
describe('fuzz: mutated, truncated and structurally hostile captures', () => {
  it(
    '10,000 cases: each a sane report or a CaptureFormatError at an offset inside the file, never another exception',
    { timeout: 600_000 },
    async () => {
      // The hang threshold is loose on purpose: tests never assert tight times (the bench reports the slowest case).
      const outcome = await runFuzz(10_000, 0x11fe_3a9, 30_000);
      expect(outcome.crashes).toEqual([]);
      expect(outcome.hangs).toBe(0);
      // Both outcomes must occur, or the mutations are not reaching the parsers.
      expect(outcome.reports).toBeGreaterThan(1000);
      expect(outcome.formatErrors).toBeGreaterThan(1000);
    },
  );
});
