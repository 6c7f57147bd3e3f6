// The TS side hard-codes libvirt's enum values; check them against the headers the addon was built with.
import { describe, expect, it } from 'vitest';

import {
  DIRTY_RATE_MODE_FLAG,
  DOMAIN_STATS_DIRTYRATE,
  DomainXmlFlag,
  JOB_STATS_COMPLETED,
  MAX_SPEED_POSTCOPY,
  ABORT_JOB_POSTCOPY,
} from '../../../src/migration/libvirt/libvirt-domain';
import { PAUSED_POSTCOPY_FAILED, RUNNING_POSTCOPY_FAILED } from '../../../src/migration/libvirt/domain-state';
import { LibvirtErrorCode } from '../../../src/migration/libvirt/libvirt-error';
import { MigrateFlag } from '../../../src/migration/libvirt/migrate-params';
import { loadNativeLibvirt } from '../../../src/migration/libvirt/load-native';

const native = loadNativeLibvirt().constants;

describe('libvirt constants', () => {
  it.each(Object.entries(MigrateFlag))('MigrateFlag.%s matches VIR_MIGRATE_*', (name, value) => {
    expect(native[`VIR_MIGRATE_${name}`]).toBe(value);
  });

  it.each(Object.entries(DomainXmlFlag))('DomainXmlFlag.%s matches VIR_DOMAIN_XML_*', (name, value) => {
    expect(native[`VIR_DOMAIN_XML_${name}`]).toBe(value);
  });

  it.each([
    ['VIR_DOMAIN_JOB_STATS_COMPLETED', JOB_STATS_COMPLETED],
    ['VIR_DOMAIN_DIRTYRATE_MODE_PAGE_SAMPLING', DIRTY_RATE_MODE_FLAG['page-sampling']],
    ['VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_BITMAP', DIRTY_RATE_MODE_FLAG['dirty-bitmap']],
    ['VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_RING', DIRTY_RATE_MODE_FLAG['dirty-ring']],
    ['VIR_DOMAIN_STATS_DIRTYRATE', DOMAIN_STATS_DIRTYRATE],
    ['VIR_DOMAIN_MIGRATE_MAX_SPEED_POSTCOPY', MAX_SPEED_POSTCOPY],
    ['VIR_DOMAIN_ABORT_JOB_POSTCOPY', ABORT_JOB_POSTCOPY],
    ['VIR_DOMAIN_PAUSED_POSTCOPY_FAILED', PAUSED_POSTCOPY_FAILED],
    ['VIR_DOMAIN_RUNNING_POSTCOPY_FAILED', RUNNING_POSTCOPY_FAILED],
    ['VIR_ERR_NO_DOMAIN', LibvirtErrorCode.NO_DOMAIN],
    ['VIR_ERR_INVALID_CONN', LibvirtErrorCode.INVALID_CONN],
    ['VIR_ERR_NO_SUPPORT', LibvirtErrorCode.NO_SUPPORT],
    ['VIR_ERR_OPERATION_INVALID', LibvirtErrorCode.OPERATION_INVALID],
  ])('%s', (name, value) => {
    expect(native[name]).toBe(value);
  });
});
