// What the source's libvirt and QEMU can do at the start of a migration, from their versions
// (libvirt's encoding: major * 1,000,000 + minor * 1,000 + release).

export interface HypervisorVersions {
  readonly libvirt: number;
  readonly qemu: number;
}

export interface HypervisorAbility {
  /** VIR_MIGRATE_PARALLEL and parallel.connections (libvirt 5.2, QEMU 4.0). */
  readonly multifd: boolean;
  /** multifd compression methods libvirt can pass (zlib/zstd arrived in libvirt 9.4; 9.0 knows only xbzrle and mt). */
  readonly multifdCompression: readonly 'zstd'[];
  /** VIR_MIGRATE_POSTCOPY and virDomainMigrateStartPostCopy (libvirt 1.3.3, QEMU 2.6). */
  readonly postCopy: boolean;
  /** QEMU refuses postcopy-ram together with multifd before 10.0 ("Postcopy is not yet compatible with multifd"). */
  readonly postCopyWithMultifd: boolean;
  /** auto_converge.initial / .increment as migration parameters (libvirt 2.0). */
  readonly autoConverge: boolean;
  readonly versions: HypervisorVersions | null;
}

export function versionNumber(major: number, minor: number, release = 0): number {
  return major * 1_000_000 + minor * 1_000 + release;
}

export function versionText(version: number): string {
  return `${Math.floor(version / 1_000_000)}.${Math.floor(version / 1_000) % 1_000}.${version % 1_000}`;
}

/** Unknown versions: only what every supported libvirt does (pre-copy, post-copy, auto-converge). */
export function hypervisorAbility(versions: HypervisorVersions | null): HypervisorAbility {
  if (versions === null) {
    return { multifd: false, multifdCompression: [], postCopy: true, postCopyWithMultifd: false, autoConverge: true, versions };
  }
  const { libvirt, qemu } = versions;
  const multifd = libvirt >= versionNumber(5, 2) && qemu >= versionNumber(4, 0);
  return {
    multifd,
    multifdCompression: multifd && libvirt >= versionNumber(9, 4) && qemu >= versionNumber(5, 0) ? ['zstd'] : [],
    postCopy: libvirt >= versionNumber(1, 3, 3) && qemu >= versionNumber(2, 6),
    postCopyWithMultifd: qemu >= versionNumber(10, 0),
    autoConverge: libvirt >= versionNumber(2, 0),
    versions,
  };
}
