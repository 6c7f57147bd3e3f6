import { Injectable } from '@nestjs/common';
import { guestMtuProblem } from '../core/mtu-budget';
import { NetworkExtensionsRepository } from './repositories/network-extensions.repository';
import { SitePeersRepository } from './repositories/site-peers.repository';
import { peerBudget } from './site-budget';

/** Whether a stretched network may take an MTU: within the budget of every site link it crosses. */
@Injectable()
export class StretchedNetworkMtu {
  constructor(
    private readonly peers: SitePeersRepository,
    private readonly extensions: NetworkExtensionsRepository,
  ) {}

  /** Why `mtuBytes` would black-hole packets on one of the network's site links, or null. */
  async problem(networkId: string, mtuBytes: number): Promise<string | null> {
    for (const extension of await this.extensions.findByNetwork(networkId)) {
      const peer = await this.peers.findById(extension.sitePeerId);
      if (!peer) continue;
      const reason = guestMtuProblem(peerBudget(peer, extension.innerVlanTag), mtuBytes);
      if (reason) return `the network is stretched to site peer ${peer.name}: ${reason}`;
    }
    return null;
  }
}
