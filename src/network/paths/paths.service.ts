import { Injectable, NotFoundException } from '@nestjs/common';
import { HostsRepository } from '../../inventory/repositories/hosts.repository';
import { InstancesRepository } from '../../inventory/repositories/instances.repository';
import type { NetworkModel } from '../core/network-model';
import { changedPeers, peerPaths, type ClassChange, type PeerPath } from '../core/peer-paths';
import { resolveHost } from '../ports/resolve-host';
import { NetworkModelLoader } from '../sync/network-model.loader';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface InstancePaths {
  instanceId: string;
  destination: { id: string; name: string } | null;
  peers: PeerPath[];
  changed: ClassChange[];
}

/** Each peer's path class and path now, and after a migration to a destination (the pure core does the work). */
@Injectable()
export class PathsService {
  constructor(
    private readonly loader: NetworkModelLoader,
    private readonly instances: InstancesRepository,
    private readonly hosts: HostsRepository,
  ) {}

  async forInstance(instanceRef: string, destinationRef?: string): Promise<InstancePaths> {
    const model = await this.loader.load();
    const instanceId = await this.resolveInstance(model, instanceRef);
    const destination = destinationRef === undefined ? null : await resolveHost(this.hosts, destinationRef, 'destination');
    const peers = peerPaths(model, instanceId, destination?.id);
    return {
      instanceId,
      destination: destination ? { id: destination.id, name: destination.name } : null,
      peers,
      changed: changedPeers(peers),
    };
  }

  /** An inventory instance by id or name; a bare id that only ports use (an instance livemig does not manage) also counts. */
  private async resolveInstance(model: NetworkModel, ref: string): Promise<string> {
    const found = await (UUID.test(ref) ? this.instances.findById(ref) : this.instances.findByName(ref));
    if (found) return found.id;
    if (model.ports.some((p) => p.deviceOwner === 'compute' && p.deviceId === ref)) return ref;
    throw new NotFoundException({
      message: `instance ${ref} is neither in the inventory nor the device of a port`,
      details: { field: 'instance' },
    });
  }
}
