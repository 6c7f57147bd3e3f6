import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Transaction } from '../../common/repositories/transactions';
import { In, type Repository } from 'typeorm';
import { skipTake, type PageWindow } from '../../inventory/repositories/page-window';
import type { BindingStatus, DeviceOwner } from '../core/network-model';
import { PortBindingEntity } from '../ports/port-binding.entity';
import { PortEntity } from '../ports/port.entity';

export type PortFields = Omit<PortEntity, 'bindings' | 'createdAt' | 'updatedAt'>;
export type BindingFields = Omit<PortBindingEntity, 'port' | 'createdAt' | 'updatedAt'>;
export interface PortFilter {
  networkId?: string;
  deviceId?: string;
  deviceOwner?: DeviceOwner;
}

/** Every read and write of ports and their bindings (one aggregate: a binding goes with its port). */
@Injectable()
export class PortsRepository {
  constructor(
    @InjectRepository(PortEntity) private readonly repo: Repository<PortEntity>,
    @InjectRepository(PortBindingEntity) private readonly bindings: Repository<PortBindingEntity>,
  ) {}

  inTransaction(tx: Transaction): PortsRepository {
    return new PortsRepository(tx.manager.getRepository(PortEntity), tx.manager.getRepository(PortBindingEntity));
  }

  findAll(): Promise<PortEntity[]> {
    return this.repo.find();
  }

  page(filter: PortFilter, window: PageWindow): Promise<[PortEntity[], number]> {
    const where = {
      ...(filter.networkId ? { networkId: filter.networkId } : {}),
      ...(filter.deviceId ? { deviceId: filter.deviceId } : {}),
      ...(filter.deviceOwner ? { deviceOwner: filter.deviceOwner } : {}),
    };
    return this.repo.findAndCount({ where, order: { createdAt: 'ASC', id: 'ASC' }, ...skipTake(window) });
  }

  findById(id: string): Promise<PortEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** The ports a device owns (an instance's compute ports, a router's interfaces), by id. */
  findByDevice(deviceOwner: DeviceOwner, deviceId: string): Promise<PortEntity[]> {
    return this.repo.find({ where: { deviceOwner, deviceId }, order: { id: 'ASC' } });
  }

  /** Every port whose device is this one, in creation order (a router's gateway and interfaces). */
  findOfDevice(deviceId: string): Promise<PortEntity[]> {
    return this.repo.find({ where: { deviceId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findRouterInterface(routerId: string, subnetId: string): Promise<PortEntity | null> {
    return this.repo.findOneBy({ deviceOwner: 'router_interface', deviceId: routerId, subnetId });
  }

  /** The port holding this address on the subnet. */
  findByAddress(subnetId: string, fixedIp: string): Promise<PortEntity | null> {
    return this.repo.findOneBy({ subnetId, fixedIp });
  }

  existsByMac(mac: string): Promise<boolean> {
    return this.repo.existsBy({ mac });
  }

  async fixedIpsOn(subnetId: string): Promise<string[]> {
    const ports = await this.repo.find({ where: { subnetId }, select: { fixedIp: true } });
    return ports.map((p) => p.fixedIp);
  }

  countByNetwork(networkId: string): Promise<number> {
    return this.repo.countBy({ networkId });
  }

  countBySubnet(subnetId: string): Promise<number> {
    return this.repo.countBy({ subnetId });
  }

  countByDevice(deviceOwner: DeviceOwner, deviceId: string): Promise<number> {
    return this.repo.countBy({ deviceOwner, deviceId });
  }

  insert(fields: PortFields): Promise<PortEntity> {
    return this.repo.save(this.repo.create(fields));
  }

  /** The port and its bindings. */
  async delete(id: string): Promise<void> {
    await this.bindings.delete({ portId: id });
    await this.repo.delete({ id });
  }

  async deleteByDevice(deviceOwner: DeviceOwner, deviceId: string): Promise<void> {
    const ports = await this.repo.find({ where: { deviceOwner, deviceId }, select: { id: true } });
    for (const port of ports) await this.delete(port.id);
  }

  allBindings(): Promise<PortBindingEntity[]> {
    return this.bindings.find();
  }

  /** The bindings of these ports, oldest first. */
  bindingsOf(portIds: readonly string[]): Promise<PortBindingEntity[]> {
    if (portIds.length === 0) return Promise.resolve([]);
    return this.bindings.find({ where: { portId: In([...portIds]) }, order: { createdAt: 'ASC' } });
  }

  findBinding(portId: string, hostId: string): Promise<PortBindingEntity | null> {
    return this.bindings.findOneBy({ portId, hostId });
  }

  countBindings(portId: string): Promise<number> {
    return this.bindings.countBy({ portId });
  }

  insertBinding(fields: BindingFields): Promise<PortBindingEntity> {
    return this.bindings.save(this.bindings.create(fields));
  }

  /** The host's binding becomes the port's only ACTIVE one (call it in a transaction). */
  async activateBinding(portId: string, hostId: string): Promise<void> {
    const active: BindingStatus = 'ACTIVE';
    await this.bindings.update({ portId, status: active }, { status: 'INACTIVE' });
    await this.bindings.update({ portId, hostId }, { status: active });
  }

  async deleteBinding(portId: string, hostId: string): Promise<void> {
    await this.bindings.delete({ portId, hostId });
  }
}
