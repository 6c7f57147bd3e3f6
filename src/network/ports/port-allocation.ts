import { ConflictException, UnprocessableEntityException } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { newId } from '../../common/ids';
import { firstFree, isHostAddress, parseCidr } from '../core/ipv4';
import { portMac } from '../core/mac';
import type { DeviceOwner } from '../core/network-model';
import type { NetworkRepositories } from '../repositories/network-transactions';
import type { SubnetEntity } from '../subnets/subnet.entity';
import type { PortEntity } from './port.entity';
import { vifDetails } from './vif-details';

export interface PortSpec {
  subnet: SubnetEntity;
  deviceOwner: DeviceOwner;
  deviceId: string | null;
  mac?: string;
  fixedIp?: string;
  /** An ACTIVE binding on this host. */
  activeHostId?: string;
}

/** Makes a port of any owner in the caller's transaction: checks or allocates its MAC and fixed IP, and binds it when asked. */
export async function allocatePort(tx: NetworkRepositories, spec: PortSpec): Promise<PortEntity> {
  const { subnet } = spec;
  const mac = spec.mac ?? (await freeMac(tx));
  if (spec.mac && (await tx.ports.existsByMac(mac))) {
    throw new ConflictException({ message: `MAC ${mac} is in use by another port`, details: { field: 'mac' } });
  }
  const used = await usedAddresses(tx, subnet);
  let fixedIp = spec.fixedIp;
  if (fixedIp !== undefined) {
    if (!isHostAddress(parseCidr(subnet.cidr), fixedIp)) {
      throw new UnprocessableEntityException({
        message: `fixedIp ${fixedIp} is not a host address of subnet ${subnet.cidr}`,
        details: { field: 'fixedIp' },
      });
    }
    // A router interface takes the subnet's gateway IP, which counts as used while no port holds it.
    const gatewayOk = spec.deviceOwner === 'router_interface' && fixedIp === subnet.gatewayIp;
    if (used.has(fixedIp) && !(gatewayOk && !(await tx.ports.findByAddress(subnet.id, fixedIp)))) {
      throw new ConflictException({ message: `IP ${fixedIp} is in use on subnet ${subnet.cidr}`, details: { field: 'fixedIp' } });
    }
  } else {
    const free = firstFree(subnet.poolStart, subnet.poolEnd, used);
    if (!free)
      throw new ConflictException({
        message: `subnet ${subnet.cidr} has no free address in its pool ${subnet.poolStart}-${subnet.poolEnd}`,
        details: { subnetId: subnet.id },
      });
    fixedIp = free;
  }
  const port = await tx.ports.insert({
    id: newId(),
    networkId: subnet.networkId,
    subnetId: subnet.id,
    mac,
    fixedIp,
    deviceOwner: spec.deviceOwner,
    deviceId: spec.deviceId,
  });
  if (spec.activeHostId) {
    const network = await tx.networks.getById(subnet.networkId);
    await tx.ports.insertBinding({
      portId: port.id,
      hostId: spec.activeHostId,
      status: 'ACTIVE',
      vifDetails: vifDetails(network.vni, port.id),
    });
  }
  return port;
}

/** Every address of the subnet that is taken: ports, the gateway, floating IPs. */
export async function usedAddresses(tx: Pick<NetworkRepositories, 'ports' | 'floatingIps'>, subnet: SubnetEntity): Promise<Set<string>> {
  // One at a time: in a transaction both queries share one connection.
  const fixedIps = await tx.ports.fixedIpsOn(subnet.id);
  const addresses = await tx.floatingIps.addressesOn(subnet.networkId);
  return new Set([subnet.gatewayIp, ...fixedIps, ...addresses]);
}

async function freeMac(tx: NetworkRepositories): Promise<string> {
  for (let attempt = 0; attempt < 16; attempt++) {
    const mac = portMac([randomInt(256), randomInt(256), randomInt(256)]);
    if (!(await tx.ports.existsByMac(mac))) return mac;
  }
  throw new ConflictException({ message: 'could not find a free MAC address', details: null });
}
