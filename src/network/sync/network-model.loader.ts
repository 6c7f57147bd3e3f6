import { Injectable } from '@nestjs/common';
import { HostsRepository } from '../../inventory/repositories/hosts.repository';
import type { NetworkModel } from '../core/network-model';
import { FloatingIpsRepository } from '../repositories/floating-ips.repository';
import { NetworkRevisionRepository } from '../repositories/network-revision.repository';
import { NetworksRepository } from '../repositories/networks.repository';
import { PortsRepository } from '../repositories/ports.repository';
import { RoutersRepository } from '../repositories/routers.repository';
import { SubnetsRepository } from '../repositories/subnets.repository';

/** Reads the whole network model as plain data for the compiler. */
@Injectable()
export class NetworkModelLoader {
  constructor(
    private readonly revision: NetworkRevisionRepository,
    private readonly hosts: HostsRepository,
    private readonly networks: NetworksRepository,
    private readonly subnets: SubnetsRepository,
    private readonly ports: PortsRepository,
    private readonly routers: RoutersRepository,
    private readonly floatingIps: FloatingIpsRepository,
  ) {}

  async load(): Promise<NetworkModel> {
    const [revision, hosts, networks, subnets, ports, bindings, routers, fips] = await Promise.all([
      this.revision.current(),
      this.hosts.findAll(),
      this.networks.findAll(),
      this.subnets.findAll(),
      this.ports.findAll(),
      this.ports.allBindings(),
      this.routers.findAll(),
      this.floatingIps.findAll(),
    ]);
    return {
      revision: revision.revision,
      ...(revision.generation ? { generation: revision.generation } : {}),
      hosts: hosts.map((h) => ({ id: h.id, name: h.name, vtepIp: h.vtepIp })),
      networks: networks.map((n) => ({ id: n.id, vni: n.vni, mtu: n.mtu, external: n.external, staticVteps: n.staticVteps })),
      subnets: subnets.map((s) => ({ id: s.id, networkId: s.networkId, cidr: s.cidr, gatewayIp: s.gatewayIp })),
      ports: ports.map((p) => ({
        id: p.id,
        networkId: p.networkId,
        subnetId: p.subnetId,
        mac: p.mac,
        fixedIp: p.fixedIp,
        deviceOwner: p.deviceOwner,
        deviceId: p.deviceId,
        bindings: bindings.filter((b) => b.portId === p.id).map((b) => ({ hostId: b.hostId, status: b.status })),
      })),
      routers: routers.map((r) => ({
        id: r.id,
        distributed: r.distributed,
        legacyHostId: r.legacyHostId,
        externalNetworkId: r.externalNetworkId,
      })),
      floatingIps: fips.map((f) => ({ id: f.id, networkId: f.networkId, address: f.address, portId: f.portId, routerId: f.routerId })),
    };
  }
}
