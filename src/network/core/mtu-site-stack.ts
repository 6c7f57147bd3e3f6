// The encapsulation stack of a tenant network stretched to a site peer: its VXLAN inside the site link's
// encryption. Pure.
import type { EspCipher, EspMode, MtuLayer, OuterIp } from './mtu-layers';

export const SITE_ENCRYPTIONS = ['ipsec', 'wireguard', 'none'] as const;
export type SiteEncryption = (typeof SITE_ENCRYPTIONS)[number];

export interface SiteLinkPolicy {
  encryption: SiteEncryption;
  /** IPsec only: transport mode by default (VXLAN already brings an IP header), tunnel mode behind NAT. */
  espMode: EspMode | null;
  espCipher: EspCipher | null;
  natTraversal: boolean;
  outerFamily: OuterIp;
  underlayMtuBytes: number;
}

/** The tenant frame (with its VLAN tag when the network is tagged inside the tunnel), VXLAN, then the encryption. */
export function siteStack(policy: SiteLinkPolicy, innerVlanTag = false): MtuLayer[] {
  const stack: MtuLayer[] = [{ kind: 'ethernet' }];
  if (innerVlanTag) stack.push({ kind: 'vlan' });
  stack.push({ kind: 'vxlan', outer: policy.outerFamily });
  if (policy.encryption === 'ipsec') {
    stack.push({
      kind: 'esp',
      mode: policy.espMode ?? 'transport',
      cipher: policy.espCipher ?? 'aes-gcm-128',
      natTraversal: policy.natTraversal,
      ...(policy.espMode === 'tunnel' ? { outer: policy.outerFamily } : {}),
    });
  } else if (policy.encryption === 'wireguard') {
    stack.push({ kind: 'wireguard', outer: policy.outerFamily });
  }
  return stack;
}

/** Why the policy's fields contradict each other, or null. */
export function siteLinkPolicyProblem(policy: SiteLinkPolicy): string | null {
  if (policy.encryption !== 'ipsec' && (policy.espMode !== null || policy.espCipher !== null))
    return `espMode and espCipher are IPsec settings; encryption is ${policy.encryption}`;
  if (policy.encryption !== 'ipsec' && policy.natTraversal) return 'natTraversal is an IPsec setting (WireGuard runs over UDP already)';
  return null;
}
