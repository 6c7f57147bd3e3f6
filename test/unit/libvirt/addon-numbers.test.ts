// Issue 16, finding 6: the addon cast NaN and Infinity to arbitrary integers.
import { describe, expect, it } from 'vitest';
import { loadNativeLibvirt } from '../../../src/migration/libvirt/load-native';

describe('addon number arguments', () => {
  it('rejects non-finite and unsafe numbers instead of casting them', async () => {
    const conn = await loadNativeLibvirt().openConnection('test:///default');
    try {
      const dom = await conn.lookupByName('test');
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 2 ** 64]) {
        await expect(dom.setMaxDowntime(bad)).rejects.toThrow(/finite number/);
        await expect(dom.setMaxSpeed(bad)).rejects.toThrow(/finite number/);
        await expect(dom.xml(bad)).rejects.toThrow(/unsigned 32-bit integer/);
      }
      await expect(dom.xml(0.5)).rejects.toThrow(RangeError);
      expect(await dom.xml(0)).toContain('<domain');
    } finally {
      await conn.close();
    }
  });
});
