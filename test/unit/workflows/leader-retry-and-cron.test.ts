import { validateSync } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { validateEnvironment } from '../../../src/config/environment';
import { buildConfig } from '../../../src/config/livemig-config';
import { IsCronExpression } from '../../../src/migration/rebalance/cron-expression.validator';

describe('LIVEMIG_LEADER_RETRY_MS', () => {
  it.each([
    [undefined, 5000],
    ['', 5000],
    ['100', 100],
    ['250', 250],
    ['600000', 600000],
  ])('%j → %i ms', (raw, ms) => {
    expect(buildConfig(validateEnvironment(raw === undefined ? {} : { LIVEMIG_LEADER_RETRY_MS: raw })).leaderRetryMs).toBe(ms);
  });

  it.each(['99', '600001', '1.5', 'soon', '-5'])('refuses %j naming the key', (raw) => {
    expect(() => validateEnvironment({ LIVEMIG_LEADER_RETRY_MS: raw })).toThrow(/LIVEMIG_LEADER_RETRY_MS/);
  });
});

class WithCron {
  @IsCronExpression()
  cron: unknown;
  constructor(cron: unknown) {
    this.cron = cron;
  }
}

describe('IsCronExpression', () => {
  it.each([
    ['*/10 * * * *', true],
    ['0 */15 * * * *', true],
    ['*/1 * * * * *', true],
    ['0 3 * * mon-fri', true],
    ['61 * * * *', false],
    ['every tuesday', false],
    ['', false],
    [42, false],
  ])('%j valid: %s', (cron, valid) => {
    expect(validateSync(new WithCron(cron)).length === 0).toBe(valid);
  });
});
