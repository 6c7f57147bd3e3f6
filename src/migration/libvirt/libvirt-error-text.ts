import { LibvirtError } from './libvirt-error';

/**
 * livemig's own words for libvirt's error codes (virErrorNumber). libvirt's text is passed on only for the codes
 * in STATE_TEXT_CODES: elsewhere it can quote what it read (an XML parse error shows a file's first line) and names
 * paths and sockets.
 */
const TEXT: Readonly<Record<number, string>> = {
  1: 'internal error in libvirt or the hypervisor',
  2: 'libvirt ran out of memory',
  3: 'the hypervisor driver does not support this call',
  4: 'the hypervisor host name does not resolve',
  5: 'cannot connect to the hypervisor',
  6: 'the hypervisor connection is not usable (closed or lost)',
  7: 'invalid domain object',
  8: 'invalid argument to libvirt',
  9: 'the hypervisor operation failed',
  27: 'the hypervisor could not parse an XML document',
  28: 'the domain already exists',
  29: 'the hypervisor denied the operation',
  30: 'libvirt could not open a file it needed',
  31: 'libvirt could not read a file it needed',
  34: 'libvirt could not write a file it needed',
  35: 'the hypervisor rejected an XML document',
  38: 'system error talking to the hypervisor (connection refused, reset or closed, or I/O failed)',
  39: 'RPC error talking to the hypervisor (connection closed or protocol failure)',
  40: 'TLS error talking to the hypervisor',
  42: 'domain not found on the hypervisor',
  45: 'authentication to the hypervisor failed',
  55: 'the operation is not valid in the domain’s current state',
  67: 'the hypervisor does not support this configuration',
  68: 'the hypervisor operation timed out',
  69: 'the migrated domain could not be made persistent on the destination',
  74: 'the hypervisor does not support an argument or flag of this call (a migration or call option)',
  78: 'the operation was aborted',
  81: 'libvirt considers this migration unsafe',
  84: 'the hypervisor does not support this operation',
  85: 'SSH transport error talking to the hypervisor',
  86: 'the guest agent does not answer',
  87: 'a hypervisor resource is busy',
  88: 'access to the hypervisor denied',
  91: 'the guest CPU is incompatible with the host',
  94: 'no authentication method to the hypervisor is available',
};

/** libvirt's error domain of its QEMU driver (VIR_FROM_QEMU): its internal errors quote QEMU's monitor replies. */
const FROM_QEMU = 10;

/**
 * Codes whose libvirt text says why a job or domain refused (state, job owner, QEMU's reply), which is what an
 * operator needs to act on, e.g. why a post-copy resume was refused. They name the domain, never a file's content.
 */
const STATE_TEXT_CODES: ReadonlySet<number> = new Set([9, 55, 68, 78, 87]);
const MAX_KEPT_TEXT_CHARS = 300;

/** libvirt's own text, when its code is one that describes state; its first line only, bounded. */
export function keptLibvirtText(rawMessage: string, code: number, domain: number): string | null {
  if (!STATE_TEXT_CODES.has(code) && !(code === 1 && domain === FROM_QEMU)) return null;
  const firstLine = rawMessage.split('\n', 1)[0]?.trim() ?? '';
  if (firstLine === '') return null;
  return firstLine.length > MAX_KEPT_TEXT_CHARS ? `${firstLine.slice(0, MAX_KEPT_TEXT_CHARS)}…` : firstLine;
}

/** The message a client may see for libvirt error `code` raised in libvirt error domain `domain`. */
export function libvirtErrorText(code: number, domain: number, rawMessage = ''): string {
  const base = `libvirt: ${TEXT[code] ?? 'the libvirt call failed'} (libvirt error ${code}, domain ${domain})`;
  const kept = keptLibvirtText(rawMessage, code, domain);
  return kept === null ? base : `${base}: ${kept}`;
}

/**
 * What the addon raises: livemig's message (with libvirt's text for the state codes), and libvirt's whole text kept
 * apart (not enumerable, so it is neither serialized nor logged by accident) for an operator debugging on the host.
 */
export class NativeLibvirtError extends LibvirtError {
  declare readonly libvirtMessage: string;

  constructor(rawMessage: string, code: number, domain: number, level?: number) {
    super(libvirtErrorText(code, domain, rawMessage), code, domain, level);
    Object.defineProperty(this, 'libvirtMessage', { value: rawMessage, enumerable: false });
  }
}
