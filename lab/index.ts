// Programmatic API of the lab, for tests, the migration engine and the demo.
export * from './topology';
export { topology, hostByName } from './current-topology';
export { labUp, labDown, labStatus, formatLabStatus } from './lab';
export { acquireLabLock, withLabLock } from './lab-lock';
export type { LabUpOptions, LabUpResult, LabDownResult, LabStatus, HostStatus, GuestStatus } from './lab';
export {
  bootGuest,
  destroyGuest,
  whereIsGuest,
  guestConsole,
  checkGuestCrash,
  heartbeatCount,
  diskWriteCount,
  findCrash,
  installGuestImage,
  GuestCrashError,
  GUEST_CRASH_PATTERN,
  DEFAULT_GUEST_MEMORY_MIB,
} from './guest';
export type { BootGuestOptions, BootedGuest, GuestLocation, GuestCrashCheck } from './guest';
export { ensureGuestImage } from './guest-image';
export { virshMigrate, completedJobInfo } from './migrate';
export type { VirshMigrateResult } from './migrate';
export { verifySharedStorage } from './shared-storage';
export { execIn, run, listNetns, netnsPids, LabCommandError } from './exec';
export type { ExecResult, ExecOptions } from './exec';
export { ping, parsePing } from './network';
export type { PingResult } from './network';
export { registerLab } from './register';
export { ensureLabGuest, LAB_GUEST_NAME } from './lab-guest';
export type { LabGuest } from './lab-guest';
export type { RegisterOptions, RegisterResult } from './register';
export { labDir, instancesPath } from './paths';
export { consolePathInHost } from './domain-xml';

import { hostByName } from './current-topology';
import * as daemon from './libvirtd';
import * as network from './network';

/** virsh against a lab host's libvirtd over its qemu+tcp URI, run in that host's namespace. */
export const virsh = (host: string, args: readonly string[], opts?: { allowFailure?: boolean; timeoutMs?: number }) =>
  daemon.virsh(hostByName(host), args, opts);
/** Crash the host's libvirtd (SIGKILL); its guests keep running. */
export const killLibvirtd = (host: string) => daemon.killLibvirtd(hostByName(host));
export const startLibvirtd = (host: string) => daemon.startLibvirtd(hostByName(host));
export const libvirtdPid = (host: string) => daemon.libvirtdPid(hostByName(host));
/** tc rate limit on the host's migration interface (mig0); null removes it. */
export const shapeMigrationLink = (host: string, rateMbit: number | null) => network.shapeMigrationLink(hostByName(host), rateMbit);
export const setMigrationLink = (host: string, state: 'up' | 'down') => network.setMigrationLink(hostByName(host), state);
