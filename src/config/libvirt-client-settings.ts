/** Process-wide like the URI policy: the libvirt binding opens connections without the app's config. */
export interface LibvirtClientSettings {
  /** A connect that has not completed by then is refused; its thread stays with that hypervisor alone. */
  connectTimeoutMs: number;
}

export const DEFAULT_LIBVIRT_CONNECT_TIMEOUT_MS = 10_000;

let settings: LibvirtClientSettings | undefined;

export function libvirtClientSettingsFrom(env: Record<string, unknown>): LibvirtClientSettings {
  const raw = env.LIVEMIG_LIBVIRT_CONNECT_TIMEOUT_MS;
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw !== '' ? Number(raw) : NaN;
  return { connectTimeoutMs: Number.isInteger(value) && value > 0 ? value : DEFAULT_LIBVIRT_CONNECT_TIMEOUT_MS };
}

export function libvirtClientSettings(): LibvirtClientSettings {
  settings ??= libvirtClientSettingsFrom(process.env);
  return settings;
}

export function setLibvirtClientSettings(next: LibvirtClientSettings): void {
  settings = next;
}
