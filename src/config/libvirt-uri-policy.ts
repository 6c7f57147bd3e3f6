/**
 * Which libvirt URIs the process may open beyond the production rules. Process-wide because the
 * URI rules run in DTO validation and in the libvirt binding, neither of which has the app's config.
 */
export interface LibvirtUriPolicy {
  /** `test:///default` and a local `qemu+unix:///system?socket=PATH`: for tests and the lab only. */
  allowTestUris: boolean;
  /** CIDRs a remote hypervisor's address must fall in (host must then be an IP literal); empty: any. */
  hypervisorNetworks: readonly string[];
}

let policy: LibvirtUriPolicy | undefined;

/** Parses LIVEMIG_LIBVIRT_TEST_URIS and LIVEMIG_HYPERVISOR_NETWORKS. */
export function libvirtUriPolicyFrom(env: Record<string, unknown>): LibvirtUriPolicy {
  const networks = typeof env.LIVEMIG_HYPERVISOR_NETWORKS === 'string' ? env.LIVEMIG_HYPERVISOR_NETWORKS : '';
  return {
    allowTestUris: env.LIVEMIG_LIBVIRT_TEST_URIS === 'allow',
    hypervisorNetworks: networks
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n.length > 0),
  };
}

export function libvirtUriPolicy(): LibvirtUriPolicy {
  policy ??= libvirtUriPolicyFrom(process.env);
  return policy;
}

/** Set from the validated configuration at start (and by tests). */
export function setLibvirtUriPolicy(next: LibvirtUriPolicy): void {
  policy = next;
}
