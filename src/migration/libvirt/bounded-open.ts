import { libvirtClientSettings } from '../../config/libvirt-client-settings';
import { LibvirtError, LibvirtErrorCode } from './libvirt-error';
import type { NativeConnection } from './native-binding';

// URIs whose last connect timed out and is still blocked in a libvirt thread.
const hung = new Set<string>();

/**
 * Bounds virConnectOpen, which has no timeout of its own: a silent hypervisor gets a refusal after
 * `timeoutMs`, and while its connect stays stuck, further connects to it are refused at once, so it
 * holds one of the addon's threads, not all of them.
 */
export async function boundedOpen(
  uri: string,
  open: () => Promise<NativeConnection>,
  timeoutMs: number = libvirtClientSettings().connectTimeoutMs,
): Promise<NativeConnection> {
  if (hung.has(uri)) {
    throw new LibvirtError(
      `libvirt: the hypervisor at ${uri} has not answered an earlier connect yet; not connecting again until it does`,
      LibvirtErrorCode.OPERATION_TIMEOUT,
      0,
    );
  }
  const opening = open();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      hung.add(uri);
      // A late connection is closed; either way the URI may be tried again afterwards.
      opening.then(
        (late) => {
          hung.delete(uri);
          void late.close().catch(() => undefined);
        },
        () => hung.delete(uri),
      );
      reject(
        new LibvirtError(
          `libvirt: the hypervisor at ${uri} did not answer the connect within ${timeoutMs} ms`,
          LibvirtErrorCode.OPERATION_TIMEOUT,
          0,
        ),
      );
    }, timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([opening, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
