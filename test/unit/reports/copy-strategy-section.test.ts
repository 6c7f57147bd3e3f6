import { describe, expect, it } from 'vitest';
import type { PrecopyRecord } from '../../../src/migration/prediction/precopy-record';
import { renderCopyStrategySection } from '../../../src/reports/copy-strategy-section';

const record = (over: Partial<PrecopyRecord>): PrecopyRecord =>
  ({
    madeAt: new Date(0).toISOString(),
    inputs: null,
    prediction: null,
    error: null,
    notes: [],
    strategy: { choice: { kind: 'post-copy-after-first-pass', reason: 'dirties 40 MiB/s over a 12 MiB/s link <b>' } },
    ...over,
  }) as unknown as PrecopyRecord;

const postCopy = {
  switchedAtMs: 21_400,
  downtimeMs: 30,
  totalTimeMs: 40_000,
  dataProcessedBytes: null,
  iterations: null,
  postcopyRequests: null,
  note: 'post-copy',
};

describe('report page: the copy strategy section', () => {
  it('says an old record has none', () => {
    expect(renderCopyStrategySection(null)).toContain('not recorded');
    expect(renderCopyStrategySection(record({ strategy: null }))).toContain('not recorded');
  });

  it('names the strategy and its reason, escaped', () => {
    const html = renderCopyStrategySection(record({}));
    expect(html).toContain('<b>post-copy-after-first-pass</b>: dirties 40 MiB/s over a 12 MiB/s link &lt;b&gt;');
    expect(html).not.toContain('post-copy at');
  });

  it('says a post-copy migration could not be rolled back once switched', () => {
    const html = renderCopyStrategySection(record({ postCopy }));
    expect(html).toContain('switched to post-copy at 21.4 s; from then on the migration could not be rolled back');
  });

  it('tells a recovered link loss and an unrecovered one apart', () => {
    const base = { failedAtMs: 23_000, cause: 'stuck-link' as const, error: 'job paused', attempts: 3 };
    const recovered = renderCopyStrategySection(
      record({ postCopy: { ...postCopy, recovery: { ...base, recoveredAtMs: 31_500, lastError: 'Connection refused' } } }),
    );
    expect(recovered).toContain('data-recovered="true"');
    expect(recovered).toContain(
      'link lost in post-copy at 23.0 s (no progress, paused by livemig: job paused); recovered at 31.5 s after 3 resume attempt(s)',
    );
    const lost = renderCopyStrategySection(
      record({
        postCopy: { ...postCopy, recovery: { ...base, cause: 'link-error', recoveredAtMs: null, lastError: 'Connection refused' } },
      }),
    );
    expect(lost).toContain('data-recovered="false"');
    expect(lost).toContain(
      '(the job failed: job paused); not recovered after 3 resume attempt(s) (last: Connection refused); the guest is split between the hosts',
    );
  });
});
