import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { newId } from '../../common/ids';
import { isConstraintViolation } from '../../common/repositories/constraint-violation';
import { Transactions } from '../../common/repositories/transactions';
import { guestMtuProblem } from '../core/mtu-budget';
import { NetworkTransactions } from '../repositories/network-transactions';
import { NetworksRepository } from '../repositories/networks.repository';
import { NetworkSyncService } from '../sync/network-sync.service';
import type { NetworkExtensionEntity } from './network-extension.entity';
import { NetworkExtensionsRepository } from './repositories/network-extensions.repository';
import { peerBudget } from './site-budget';
import type { ExpandNetworkDto, NetworkExtensionDto } from './site-peer.dto';
import type { SitePeerEntity } from './site-peer.entity';
import { SitePeersService } from './site-peers.service';

/** Tenant networks stretched to site peers: the operator's side of the interconnection. */
@Injectable()
export class NetworkExtensionsService {
  constructor(
    private readonly peers: SitePeersService,
    private readonly extensions: NetworkExtensionsRepository,
    private readonly networks: NetworksRepository,
    private readonly model: NetworkTransactions,
    private readonly transactions: Transactions,
    private readonly sync: NetworkSyncService,
  ) {}

  async list(sitePeerId: string): Promise<NetworkExtensionDto[]> {
    const peer = await this.peers.entity(sitePeerId);
    return Promise.all((await this.extensions.findByPeer(sitePeerId)).map((e) => this.view(peer, e)));
  }

  /**
   * Stretches a network over the peer's link. A network whose MTU is above the link's budget would black-hole
   * full-size packets (DF set, too big for the WAN): refused, unless the caller asks to lower the network's MTU,
   * which its guests then get like any MTU change.
   */
  async expand(sitePeerId: string, dto: ExpandNetworkDto): Promise<NetworkExtensionDto> {
    const peer = await this.peers.entity(sitePeerId);
    const network = await this.networks.findById(dto.networkId);
    if (!network)
      throw new UnprocessableEntityException({
        message: `networkId ${dto.networkId} refers to no network`,
        details: { field: 'networkId' },
      });
    if (network.external)
      throw new UnprocessableEntityException({
        message: `network ${network.name} is external; only tenant networks are stretched`,
        details: { field: 'networkId' },
      });
    if (await this.extensions.findOne(sitePeerId, network.id))
      throw new ConflictException({
        message: `network ${network.name} is already stretched to ${peer.name}`,
        details: { field: 'networkId' },
      });
    const innerVlanTag = dto.innerVlanTag ?? false;
    const budget = peerBudget(peer, innerVlanTag);
    const problem = guestMtuProblem(budget, network.mtu);
    if (problem && !dto.lowerNetworkMtu) {
      throw new UnprocessableEntityException({
        message: `${problem}; lower the network's MTU to ${budget.largestGuestMtuBytes} (or pass lowerNetworkMtu)`,
        details: { check: 'mtu', networkMtuBytes: network.mtu, largestGuestMtuBytes: budget.largestGuestMtuBytes },
      });
    }
    // The lowered MTU, its revision and the extension commit together.
    const extension = await this.transactions
      .run(async (tx) => {
        if (problem) {
          const model = this.model.within(tx);
          await model.networks.save(network, { mtu: budget.largestGuestMtuBytes });
          await model.revision.bump();
        }
        return this.extensions.inTransaction(tx).insert({ id: newId(), networkId: network.id, sitePeerId, innerVlanTag });
      })
      .catch((err: unknown) => {
        if (isConstraintViolation(err))
          throw new ConflictException({
            message: `network ${network.name} is already stretched to ${peer.name}`,
            details: { field: 'networkId' },
          });
        throw err;
      });
    if (problem) await this.sync.afterChange();
    return this.view(peer, extension);
  }

  async withdraw(sitePeerId: string, networkId: string): Promise<void> {
    await this.peers.entity(sitePeerId);
    const extension = await this.extensions.findOne(sitePeerId, networkId);
    if (!extension) throw new NotFoundException({ message: `network ${networkId} is not stretched to this peer`, details: { networkId } });
    await this.extensions.delete(extension.id);
  }

  private async view(peer: SitePeerEntity, extension: NetworkExtensionEntity): Promise<NetworkExtensionDto> {
    const network = await this.networks.getById(extension.networkId);
    return { ...extension, networkMtuBytes: network.mtu, mtuBudget: peerBudget(peer, extension.innerVlanTag) };
  }
}
