import { describe, expect, it } from 'vitest';

import { camelCaseField } from '../../../src/migration/libvirt/typed-params';
import { toJobStats } from '../../../src/migration/libvirt/job-stats';
import {
  MigrateFlagName,
  migrateFlagNames,
  migrateFlagsMask,
  MigrateParams,
  toMigrateParamSpecs,
} from '../../../src/migration/libvirt/migrate-params';
import { NativeDomainEvent, toDomainEvent } from '../../../src/migration/libvirt/domain-event';
import { toDirtyRate, toDomainMemoryStats } from '../../../src/migration/libvirt/host-stats';
import { assertLibvirtUri } from '../../../src/inventory/hosts/libvirt-uri-rules';

describe('camelCaseField', () => {
  it.each([
    ['time_elapsed', 'timeElapsed'],
    ['memory_dirty_rate', 'memoryDirtyRate'],
    ['memory_postcopy_requests', 'memoryPostcopyRequests'],
    ['auto_converge.initial', 'autoConvergeInitial'],
    ['downtime', 'downtime'],
  ])('%s -> %s', (field, expected) => {
    expect(camelCaseField(field)).toBe(expected);
  });
});

describe('toJobStats', () => {
  it('maps a completed migration job (fields as QEMU reports them)', () => {
    const stats = toJobStats(
      3,
      {
        operation: 5,
        time_elapsed: 812,
        downtime: 96,
        setup_time: 14,
        data_processed: 96_468_992,
        memory_iteration: 3,
        memory_dirty_rate: 120,
        success: true,
      },
      true,
    );
    expect(stats).toEqual({
      type: 'completed',
      completed: true,
      operation: 5,
      timeElapsed: 812,
      downtime: 96,
      setupTime: 14,
      dataProcessed: 96_468_992,
      memoryIteration: 3,
      memoryDirtyRate: 120,
      success: true,
    });
  });

  it.each([
    [0, 'none'],
    [1, 'bounded'],
    [2, 'unbounded'],
    [4, 'failed'],
    [5, 'cancelled'],
    [99, 'none'],
  ])('job type %i is %s', (type, name) => {
    expect(toJobStats(type, {}, false).type).toBe(name);
  });

  it('keeps unknown fields and wrongly typed known fields under extra', () => {
    const stats = toJobStats(2, { vfio_data_transferred: 7, downtime: 'soon' }, false);
    expect(stats.downtime).toBeUndefined();
    expect(stats.extra).toEqual({ vfioDataTransferred: 7, downtime: 'soon' });
  });
});

describe('migrate flags', () => {
  it.each<[readonly MigrateFlagName[], number]>([
    [[], 0],
    [['LIVE'], 1],
    [['LIVE', 'PEER2PEER', 'PERSIST_DEST', 'UNDEFINE_SOURCE'], 1 | 2 | 8 | 16],
    [['UNSAFE', 'ABORT_ON_ERROR', 'AUTO_CONVERGE', 'POSTCOPY', 'PARALLEL'], 512 | 4096 | 8192 | 32768 | 131072],
  ])('%j -> %i and back', (names, mask) => {
    expect(migrateFlagsMask(names)).toBe(mask);
    expect(migrateFlagsMask(new Set(names))).toBe(mask);
    expect(migrateFlagNames(mask).sort()).toEqual([...names].sort());
  });
});

describe('toMigrateParamSpecs', () => {
  it('uses libvirt parameter names and types', () => {
    const params: MigrateParams = {
      migrateUri: 'tcp://198.51.100.2',
      destinationName: 'vm-b',
      bandwidthMiBps: 32,
      maxDowntimeMs: 300,
      autoConvergeInitialPct: 60,
      autoConvergeIncrementPct: 20,
      parallelConnections: 4,
      compression: ['xbzrle', 'mt'],
    };
    expect(toMigrateParamSpecs(params)).toEqual([
      { field: 'migrate_uri', type: 'string', value: 'tcp://198.51.100.2' },
      { field: 'destination_name', type: 'string', value: 'vm-b' },
      { field: 'compression', type: 'string', value: 'xbzrle' },
      { field: 'compression', type: 'string', value: 'mt' },
      { field: 'bandwidth', type: 'ullong', value: 32 },
      { field: 'auto_converge.initial', type: 'int', value: 60 },
      { field: 'auto_converge.increment', type: 'int', value: 20 },
      { field: 'parallel.connections', type: 'int', value: 4 },
    ]);
  });

  it('leaves max downtime out of the typed parameters (libvirt 9.0 has none; it is set on the domain)', () => {
    expect(toMigrateParamSpecs({ maxDowntimeMs: 500 })).toEqual([]);
  });

  it.each<[MigrateParams, RegExp]>([
    [{ bandwidthMiBps: -1 }, /bandwidthMiBps/],
    [{ bandwidthMiBps: 1.5 }, /bandwidthMiBps/],
    [{ autoConvergeInitialPct: 120 }, /at most 100/],
    [{ parallelConnections: 0 }, /at least 1/],
  ])('rejects %j', (params, message) => {
    expect(() => toMigrateParamSpecs(params)).toThrow(message);
  });
});

describe('toDomainEvent', () => {
  const base = { name: 'vm', uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f' };
  it.each<[NativeDomainEvent, unknown]>([
    [
      { ...base, kind: 'lifecycle', event: 2, detail: 1 },
      { kind: 'lifecycle', event: 'started', detail: 'migrated', detailCode: 1 },
    ],
    [
      { ...base, kind: 'lifecycle', event: 5, detail: 3 },
      { kind: 'lifecycle', event: 'stopped', detail: 'migrated', detailCode: 3 },
    ],
    [
      { ...base, kind: 'lifecycle', event: 3, detail: 7 },
      { kind: 'lifecycle', event: 'suspended', detail: 'postcopy', detailCode: 7 },
    ],
    [
      { ...base, kind: 'lifecycle', event: 8, detail: 0 },
      { kind: 'lifecycle', event: 'crashed', detail: '0', detailCode: 0 },
    ],
    [
      { ...base, kind: 'migrationIteration', iteration: 2 },
      { kind: 'migrationIteration', iteration: 2 },
    ],
  ])('%j', (raw, expected) => {
    expect(toDomainEvent(raw)).toEqual({ domain: base, ...(expected as object) });
  });

  it('maps job-completed statistics', () => {
    const event = toDomainEvent({ ...base, kind: 'jobCompleted', params: { downtime: 44, memory_iteration: 4 } });
    expect(event).toEqual({
      kind: 'jobCompleted',
      domain: base,
      stats: { type: 'completed', completed: true, downtime: 44, memoryIteration: 4 },
    });
  });

  it('refuses an unknown lifecycle event', () => {
    expect(() => toDomainEvent({ ...base, kind: 'lifecycle', event: 42, detail: 0 })).toThrow(RangeError);
  });
});

describe('host stats mapping', () => {
  it('maps dirty-rate domain stats', () => {
    expect(
      toDirtyRate({
        'dirtyrate.calc_status': 2,
        'dirtyrate.calc_start_time': 1000,
        'dirtyrate.calc_period': 1,
        'dirtyrate.megabytes_per_second': 64,
        'dirtyrate.calc_mode': 'page-sampling',
      }),
    ).toEqual({ status: 'measured', startTimeS: 1000, calcPeriodS: 1, megabytesPerSecond: 64, calcMode: 'page-sampling' });
    expect(toDirtyRate({}).status).toBe('unstarted');
    expect(toDirtyRate({ 'dirtyrate.calc_status': 1 }).status).toBe('measuring');
  });

  it('names memory stat tags', () => {
    expect(toDomainMemoryStats({ '6': 262144, '7': 178000, '99': 1 })).toEqual({ actualBalloonKiB: 262144, rssKiB: 178000 });
  });
});

describe('assertLibvirtUri', () => {
  it.each([
    'test:///default',
    'qemu:///system',
    'qemu+tcp://198.51.100.2/system',
    'qemu+tcp://hostb:16509/system',
    'qemu://compute-3/system',
    'qemu+ssh://root@compute-1.example.org/system?no_tty=1',
    'qemu+tls://[2001:db8::2]/system',
    'qemu+unix:///system?socket=/var/lib/livemig-lab/hosts/host-a/run/libvirt/libvirt-sock',
  ])('accepts %s', (uri) => {
    expect(assertLibvirtUri(uri)).toBe(uri);
  });

  it.each([
    'xen:///system',
    'qemu+tcp:///system',
    'qemu+tcp://host;rm/system',
    'qemu+tcp://host/etc/passwd',
    'qemu+unix://host/system',
    'not a uri',
    'qemu+ssh://host/system?no-tty=1',
    'qemu+ssh://host/system?command=/tmp/evil',
    'qemu+ssh://host/system?netcat=/tmp/evil',
    // Issue 16: transports outside qemu/tcp/tls/ssh and file-naming parameters are refused.
    'qemu+libssh2://root@compute-2/system?known_hosts=/root/.ssh/known_hosts',
  ])('rejects %s', (uri) => {
    expect(() => assertLibvirtUri(uri)).toThrow(RangeError);
  });
});
