/** Error codes (virErrorNumber) livemig reacts to; the full list is in libvirt's virterror.h. */
export const LibvirtErrorCode = {
  INTERNAL_ERROR: 1,
  NO_SUPPORT: 3,
  INVALID_CONN: 6,
  OPERATION_FAILED: 9,
  NO_DOMAIN: 42,
  OPERATION_INVALID: 55,
  OPERATION_TIMEOUT: 68,
  ARGUMENT_UNSUPPORTED: 74,
  OPERATION_ABORTED: 78,
  OPERATION_UNSUPPORTED: 84,
} as const;

/** A failed libvirt call, with libvirt's own code (virErrorNumber) and domain (virErrorDomain). */
export class LibvirtError extends Error {
  override readonly name = 'LibvirtError';

  constructor(
    message: string,
    readonly code: number,
    readonly domain: number,
    readonly level: number = 2,
  ) {
    super(message);
  }

  /** True for "the driver cannot do this", as opposed to "it tried and failed". */
  get isUnsupported(): boolean {
    return (
      this.code === LibvirtErrorCode.NO_SUPPORT ||
      this.code === LibvirtErrorCode.ARGUMENT_UNSUPPORTED ||
      this.code === LibvirtErrorCode.OPERATION_UNSUPPORTED
    );
  }
}

export function isLibvirtError(error: unknown, code?: number): error is LibvirtError {
  return error instanceof LibvirtError && (code === undefined || error.code === code);
}
