import { UnprocessableEntityException } from '@nestjs/common';
import { isIP } from 'node:net';
import { mtuBudget, type MtuBudget } from '../core/mtu-budget';
import { siteLinkPolicyProblem, siteStack, type SiteLinkPolicy } from '../core/mtu-site-stack';
import type { SitePeerEntity } from './site-peer.entity';

/** The budget of a network stretched over the peer's link; an impossible policy is the caller's mistake (422). */
export function peerBudget(peer: SiteLinkPolicy, innerVlanTag = false): MtuBudget {
  try {
    return mtuBudget({ stack: siteStack(peer, innerVlanTag), underlayMtuBytes: peer.underlayMtuBytes });
  } catch (err) {
    if (err instanceof RangeError) throw new UnprocessableEntityException({ message: err.message, details: { check: 'mtu' } });
    throw err;
  }
}

/** Refuses (422) a peer whose fields contradict each other. */
export function assertPeerConsistent(peer: Omit<SitePeerEntity, 'id' | 'createdAt' | 'updatedAt'>): void {
  const problem = siteLinkPolicyProblem(peer);
  if (problem) throw new UnprocessableEntityException({ message: problem, details: { field: 'encryption' } });
  const family = peer.outerFamily === 'ipv4' ? 4 : 6;
  for (const field of ['localGatewayIp', 'remoteGatewayIp'] as const) {
    if (isIP(peer[field]) !== family)
      throw new UnprocessableEntityException({
        message: `${field} ${peer[field]} is not an ${peer.outerFamily} address`,
        details: { field },
      });
  }
  if (peer.localGatewayIp === peer.remoteGatewayIp)
    throw new UnprocessableEntityException({ message: 'the two gateways must differ', details: { field: 'remoteGatewayIp' } });
}
