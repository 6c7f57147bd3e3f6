import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { NativeLibvirtError } from './libvirt-error-text';
import { NativeAddon } from './native-binding';

const ADDON_RELATIVE_PATH = join('native', 'build', 'Release', 'livemig_libvirt.node');

/** Walks up from this file to the directory holding the built addon; works from src/ (vitest) and dist/src/. */
export function findAddonPath(startDir: string = __dirname): string {
  for (let dir = startDir; ; dir = dirname(dir)) {
    const candidate = join(dir, ADDON_RELATIVE_PATH);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) {
      throw new Error(`libvirt addon not built (${ADDON_RELATIVE_PATH} not found above ${startDir}); run npm run build:native`);
    }
  }
}

let addon: NativeAddon | undefined;

/** Loads the addon once per process and makes its rejections LibvirtError instances with livemig's messages. */
export function loadNativeLibvirt(): NativeAddon {
  if (addon === undefined) {
    const loaded = createRequire(__filename)(findAddonPath()) as NativeAddon;
    loaded.setErrorClass(NativeLibvirtError);
    addon = loaded;
  }
  return addon;
}
