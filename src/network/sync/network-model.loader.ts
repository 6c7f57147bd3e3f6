import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HostEntity } from '../../inventory/hosts/host.entity';
import type { NetworkModel } from '../core/network-model';
import { FloatingIpEntity } from '../floating-ips/floating-ip.entity';
import { NetworkEntity } from '../networks/network.entity';
import { PortBindingEntity } from '../ports/port-binding.entity';
import { PortEntity } from '../ports/port.entity';
import { readNetworkRevision } from '../revision/bump-revision';
import { RouterEntity } from '../routers/router.entity';
import { SubnetEntity } from '../subnets/subnet.entity';

/** Reads the whole network model as plain data for the compiler. */
@Injectable()
export class NetworkModelLoader {
  constructor(private readonly dataSource: DataSource) {}

  async load(): Promise<NetworkModel> {
    const m = this.dataSource.manager;
    const [revision, hosts, networks, subnets, ports, bindings, routers, fips] = await Promise.all([
      readNetworkRevision(m),
      m.find(HostEntity, { order: { name: 'ASC' } }),
      m.find(NetworkEntity),
      m.find(SubnetEntity),
      m.find(PortEntity),
      m.find(PortBindingEntity),
      m.find(RouterEntity),
      m.find(FloatingIpEntity),
    ]);
    return {
      revision,
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
