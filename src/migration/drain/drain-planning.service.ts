import { Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { LIVEMIG_CONFIG, type LivemigConfig } from '../../config/livemig-config';
import { planDrain, type HostCapacity } from '../core';
import { toDrainPlanView, type DrainPlanView } from './drain-plan-view';
import { FleetSnapshotService } from './fleet-snapshot.service';

export const DEFAULT_DRAIN_MAX_PARALLEL = 2;

export interface DrainPlanRequest {
  hostId: string;
  destinations?: string[];
  maxParallel?: number;
}

/** Feeds planDrain with the real inventory: instances on the host, flavors, capacities with open reservations, agent health. */
@Injectable()
export class DrainPlanningService {
  constructor(
    @Inject(LIVEMIG_CONFIG) private readonly config: LivemigConfig,
    private readonly fleet: FleetSnapshotService,
  ) {}

  async plan(request: DrainPlanRequest): Promise<DrainPlanView> {
    const snapshot = await this.fleet.take();
    const source = snapshot.hosts.find((h) => h.id === request.hostId);
    if (!source) throw new NotFoundException({ message: `host ${request.hostId} not found`, details: { id: request.hostId } });
    for (const id of request.destinations ?? []) {
      if (!snapshot.hosts.some((h) => h.id === id)) {
        throw new UnprocessableEntityException({ message: `destination ${id} refers to no host`, details: { field: 'destinations', id } });
      }
      if (id === request.hostId)
        throw new UnprocessableEntityException({ message: 'a host cannot receive its own drain', details: { field: 'destinations', id } });
    }
    const engine = this.config.migration;
    const maxParallel = request.maxParallel ?? DEFAULT_DRAIN_MAX_PARALLEL;
    const plan = planDrain({
      sourceHostIds: [source.id],
      hosts: snapshot.hosts,
      instances: snapshot.instances,
      ...(request.destinations ? { destinationHostIds: request.destinations } : {}),
      limits: {
        perCluster: Math.min(maxParallel, engine.parallelMigrationsPerCluster),
        perOutboundHost: engine.parallelOutboundMigrationsPerHost,
        perInboundHost: engine.parallelInboundMigrationsPerHost,
      },
    });
    const names = new Map(snapshot.hosts.map((h) => [h.id, h.name]));
    return toDrainPlanView(plan, source, names, excludedDestinations(snapshot.hosts, source.id, snapshot.agentDown, request.destinations));
  }
}

function excludedDestinations(
  hosts: readonly HostCapacity[],
  sourceId: string,
  agentDown: ReadonlyMap<string, string>,
  allowed?: string[],
): DrainPlanView['excludedDestinations'] {
  const out: DrainPlanView['excludedDestinations'] = [];
  for (const h of hosts) {
    if (h.id === sourceId) continue;
    let reason: string | null = null;
    if (allowed && !allowed.includes(h.id)) reason = 'not among the given destinations';
    else if (h.state !== 'enabled') reason = `host is ${h.state}`;
    else if (!h.agentUp) reason = `agent down: ${agentDown.get(h.id) ?? 'no recent answer'}`;
    if (reason) out.push({ hostId: h.id, hostName: h.name, reason });
  }
  return out;
}
