import { describe, expect, it } from 'vitest';
import { CONVERGENCE_PRESETS, type CopyStrategy } from '../../../src/migration/core';
import { buildMigrateRequest } from '../../../src/migration/core';

const plain: CopyStrategy = {
  kind: 'pre-copy',
  multifdChannels: 1,
  compression: null,
  autoConverge: null,
  postCopyEnabled: false,
  postCopyAfterFirstPass: false,
  reason: 'test',
  predicted: null,
};
const base = {
  destinationLibvirtUri: 'qemu+tcp://192.0.2.12/system',
  destinationMigrationAddress: '192.0.2.12',
  initialMaxDowntimeMs: 50,
  strategy: plain,
};

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

  it('maps post-copy and auto-converge from the strategy, bandwidth from the policy; brackets IPv6', () => {
    const policy = { ...CONVERGENCE_PRESETS['post-copy'], bandwidthMiBps: 100 };
    const strategy: CopyStrategy = {
      ...plain,
      kind: 'auto-converge',
      autoConverge: { initialPct: 30, incrementPct: 15 },
      postCopyEnabled: true,
    };
    const r = buildMigrateRequest({ ...base, strategy, destinationMigrationAddress: '2001:db8::2', policy, sharedStorageProven: true });
    expect([...r.flags]).toEqual(expect.arrayContaining(['POSTCOPY', 'AUTO_CONVERGE']));
    expect([...r.flags]).not.toContain('PARALLEL');
    expect(r.params).toMatchObject({
      migrateUri: 'tcp://[2001:db8::2]',
      bandwidthMiBps: 100,
      autoConvergeInitialPct: 30,
      autoConvergeIncrementPct: 15,
    });
    expect(r.params.parallelConnections).toBeUndefined();
  });

  it('asks for parallel connections and zstd only when the strategy chose them', () => {
    const policy = CONVERGENCE_PRESETS['livemig-default'];
    const multifd = buildMigrateRequest({
      ...base,
      policy,
      sharedStorageProven: true,
      strategy: { ...plain, kind: 'multifd', multifdChannels: 4 },
    });
    expect([...multifd.flags]).toContain('PARALLEL');
    expect([...multifd.flags]).not.toContain('COMPRESSED');
    expect(multifd.params).toMatchObject({ parallelConnections: 4 });
    const zstd = buildMigrateRequest({
      ...base,
      policy,
      sharedStorageProven: true,
      strategy: { ...plain, kind: 'multifd-zstd', multifdChannels: 2, compression: 'zstd' },
    });
    expect([...zstd.flags]).toEqual(expect.arrayContaining(['PARALLEL', 'COMPRESSED']));
    expect(zstd.params).toMatchObject({ parallelConnections: 2, compression: ['zstd'] });
  });
});
