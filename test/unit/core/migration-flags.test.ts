import { describe, expect, it } from 'vitest';
import { CONVERGENCE_PRESETS } from '../../../src/migration/core';
import { buildMigrateRequest } from '../../../src/migration/core';

const base = { destinationLibvirtUri: 'qemu+tcp://192.0.2.12/system', destinationMigrationAddress: '192.0.2.12', initialMaxDowntimeMs: 50 };

describe('buildMigrateRequest', () => {
  it('asks for a p2p live migration that persists on the destination and undefines the source', () => {
    const r = buildMigrateRequest({ ...base, policy: CONVERGENCE_PRESETS['nova-default'], sharedStorageProven: true });
    expect([...r.flags]).toEqual(['LIVE', 'PEER2PEER', 'PERSIST_DEST', 'UNDEFINE_SOURCE', 'ABORT_ON_ERROR', 'UNSAFE']);
    expect(r.params).toEqual({ migrateUri: 'tcp://192.0.2.12', maxDowntimeMs: 50 });
    expect(r.destinationUri).toBe('qemu+tcp://192.0.2.12/system');
  });

  it('passes UNSAFE only when shared storage was proven', () => {
    const r = buildMigrateRequest({ ...base, policy: CONVERGENCE_PRESETS['nova-default'], sharedStorageProven: false });
    expect([...r.flags]).not.toContain('UNSAFE');
  });

  it('maps post-copy, auto-converge and bandwidth from the policy; brackets IPv6', () => {
    const policy = {
      ...CONVERGENCE_PRESETS['post-copy'],
      allowAutoConverge: true,
      bandwidthMiBps: 100,
      autoConvergeInitialPct: 30,
      autoConvergeIncrementPct: 15,
    };
    const r = buildMigrateRequest({ ...base, destinationMigrationAddress: '2001:db8::2', policy, sharedStorageProven: true });
    expect([...r.flags]).toEqual(expect.arrayContaining(['POSTCOPY', 'AUTO_CONVERGE']));
    expect(r.params).toMatchObject({
      migrateUri: 'tcp://[2001:db8::2]',
      bandwidthMiBps: 100,
      autoConvergeInitialPct: 30,
      autoConvergeIncrementPct: 15,
    });
  });
});
