import { describe, expect, it } from 'vitest';
import { strategyInputs } from '../../../src/migration/prediction/strategy-inputs';
import type { PrecopyRecordInputs } from '../../../src/migration/prediction/precopy-record';

const MiB = 2 ** 20;
const precopy: PrecopyRecordInputs = {
  ramBytes: 512 * MiB,
  residentBytes: 400 * MiB,
  residentSource: 'host-nonzero',
  hostResidentBytes: 450 * MiB,
  dirtyRateBytesPerSec: 10 * MiB,
  dirtyWindows: [],
  workingSetBytes: null,
  dirtyRateMode: 'page-sampling',
  bandwidthBytesPerSec: 12.5e6,
  bandwidthSource: 'link-shaped',
  switchoverBandwidthBytesPerSec: 12.5e6,
  maxDowntimeMs: 166,
  setupSec: 0.4,
  setupSource: 'none',
};
const versions = { libvirt: 9_000_000, qemu: 7_002_000 };

describe('strategyInputs', () => {
  it('one stream is the median peak of earlier single-stream migrations; multifd ones do not count', () => {
    const i = strategyInputs({
      precopy,
      history: [
        { peakBytesPerSec: 10e6, multifdChannels: 1 },
        { peakBytesPerSec: 12e6, multifdChannels: 1 },
        { peakBytesPerSec: 11e6, multifdChannels: 1 },
        { peakBytesPerSec: 40e6, multifdChannels: 4 },
      ],
      cpu: { cpus: 4, idleShare: 0.5 },
      versions,
    });
    expect(i).toMatchObject({ singleStreamBytesPerSec: 11e6, linkBytesPerSec: 12.5e6, cpuHeadroomCores: 2 });
    expect(i.linkSource).toMatch(/link-shaped; one stream measured/);
    expect(i.ability).toMatchObject({ multifd: true, multifdCompression: [] });
  });

  it('without an agent reading the link is the best any earlier migration carried, never the planning default', () => {
    const i = strategyInputs({
      precopy: { ...precopy, bandwidthSource: 'planning-default', bandwidthBytesPerSec: 1.25e9 },
      history: [{ peakBytesPerSec: 40e6, multifdChannels: 4 }],
      cpu: null,
      versions: null,
    });
    expect(i).toMatchObject({ linkBytesPerSec: 40e6, singleStreamBytesPerSec: null, cpuHeadroomCores: null });
    expect(i.ability.multifd).toBe(false);
  });
});
