import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { toPage, type Page } from '../../common/http/page';
import { newId } from '../../common/ids';
import { guestMtuProblem } from '../core/mtu-budget';
import { NetworksRepository } from '../repositories/networks.repository';
import { NetworkExtensionsRepository } from './repositories/network-extensions.repository';
import { SitePeersRepository, type SitePeerFields } from './repositories/site-peers.repository';
import { assertPeerConsistent, peerBudget } from './site-budget';
import type { CreateSitePeerDto, MtuBudgetDto, SitePeerDto, SitePeerQueryDto, UpdateSitePeerDto } from './site-peer.dto';
import type { SitePeerEntity } from './site-peer.entity';

/** Site peers and their link policy: the administrator's side of the interconnection. */
@Injectable()
export class SitePeersService {
  constructor(
    private readonly peers: SitePeersRepository,
    private readonly extensions: NetworkExtensionsRepository,
    private readonly networks: NetworksRepository,
  ) {}

  async list(query: SitePeerQueryDto): Promise<Page<SitePeerDto>> {
    const [items, total] = await this.peers.page(query);
    return toPage([items.map(view), total], query);
  }

  async get(id: string): Promise<SitePeerDto> {
    return view(await this.entity(id));
  }

  async budget(id: string, innerVlanTag: boolean): Promise<MtuBudgetDto> {
    return peerBudget(await this.entity(id), innerVlanTag);
  }

  async create(dto: CreateSitePeerDto): Promise<SitePeerDto> {
    const encryption = dto.encryption;
    const fields: SitePeerFields = {
      id: newId(),
      name: dto.name,
      localGatewayIp: dto.localGatewayIp,
      remoteGatewayIp: dto.remoteGatewayIp,
      underlayMtuBytes: dto.underlayMtuBytes ?? 1500,
      outerFamily: dto.outerFamily ?? 'ipv4',
      encryption,
      // IPsec defaults: transport mode (VXLAN already adds an IP header) with AES-GCM.
      espMode: dto.espMode ?? (encryption === 'ipsec' ? 'transport' : null),
      espCipher: dto.espCipher ?? (encryption === 'ipsec' ? 'aes-gcm-128' : null),
      natTraversal: dto.natTraversal ?? false,
      linkBandwidthMbps: dto.linkBandwidthMbps ?? null,
    };
    assertPeerConsistent(fields);
    peerBudget(fields);
    if (await this.peers.findByName(fields.name))
      throw new ConflictException({ message: `a site peer named ${fields.name} exists`, details: { field: 'name' } });
    return view(await this.peers.save(fields));
  }

  /** A policy change must leave every network already stretched over the link within the new budget. */
  async update(id: string, dto: UpdateSitePeerDto): Promise<SitePeerDto> {
    const peer = await this.entity(id);
    const next: SitePeerEntity = { ...peer };
    for (const [key, value] of Object.entries(dto) as [keyof UpdateSitePeerDto, unknown][]) {
      if (value !== undefined) Object.assign(next, { [key]: value });
    }
    if (dto.encryption !== undefined && dto.encryption !== 'ipsec') {
      next.espMode = dto.espMode ?? null;
      next.espCipher = dto.espCipher ?? null;
      next.natTraversal = dto.natTraversal ?? false;
    } else if (next.encryption === 'ipsec') {
      next.espMode ??= 'transport';
      next.espCipher ??= 'aes-gcm-128';
    }
    assertPeerConsistent(next);
    peerBudget(next);
    if (next.name !== peer.name && (await this.peers.findByName(next.name)))
      throw new ConflictException({ message: `a site peer named ${next.name} exists`, details: { field: 'name' } });
    const blackHoled: { networkId: string; networkMtuBytes: number; largestGuestMtuBytes: number; reason: string }[] = [];
    for (const extension of await this.extensions.findByPeer(id)) {
      const network = await this.networks.getById(extension.networkId);
      const budget = peerBudget(next, extension.innerVlanTag);
      const reason = guestMtuProblem(budget, network.mtu);
      if (reason)
        blackHoled.push({ networkId: network.id, networkMtuBytes: network.mtu, largestGuestMtuBytes: budget.largestGuestMtuBytes, reason });
    }
    if (blackHoled.length > 0) {
      throw new ConflictException({
        message: `the new link policy would black-hole ${blackHoled.length} stretched network(s): ${blackHoled[0]?.reason ?? ''}`,
        details: { check: 'mtu', networks: blackHoled },
      });
    }
    return view(await this.peers.save(next));
  }

  async remove(id: string): Promise<void> {
    await this.entity(id);
    const stretched = await this.extensions.countByPeer(id);
    if (stretched > 0)
      throw new ConflictException({
        message: `${stretched} network(s) are still stretched to this peer; withdraw them first`,
        details: { stretched },
      });
    await this.peers.delete(id);
  }

  async entity(id: string): Promise<SitePeerEntity> {
    const peer = await this.peers.findById(id);
    if (!peer) throw new NotFoundException({ message: `site peer ${id} not found`, details: { id } });
    return peer;
  }
}

function view(peer: SitePeerEntity): SitePeerDto {
  return { ...peer, mtuBudget: peerBudget(peer) };
}
