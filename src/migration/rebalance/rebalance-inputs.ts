// Pure: what a rebalancing run feeds the planner, and what the audit row records of it.
import { hostUtilisation, type BalanceMetric, type HostCapacity, type InstanceLoad, type RebalanceGoal } from '../core';
import type { RebalancePolicyGoal } from './rebalance-policy.entity';
import type { RebalanceRunInputs } from './rebalance-run.entity';

export function plannerGoal(goal: RebalancePolicyGoal): RebalanceGoal {
  return goal.kind === 'threshold' ? { kind: 'threshold', threshold: goal.value } : { kind: 'stddev', targetStddev: goal.value };
}

/**
 * Allocation-based estimate: a host's RAM utilisation is its instances' flavor RAM over the host's RAM,
 * CPU is their vCPUs over the host's vCPUs. No measured load goes in yet.
 */
export function runInputs(hosts: readonly HostCapacity[], instances: readonly InstanceLoad[], metric: BalanceMetric, inCooldown: readonly string[]): RebalanceRunInputs {
  const residents = new Map<string, InstanceLoad[]>();
  for (const i of instances) residents.set(i.hostId, [...(residents.get(i.hostId) ?? []), i]);
  return {
    utilisationSource: 'allocation-estimate',
    metric,
    hosts: hosts.map((h) => ({ hostId: h.id, name: h.name, state: h.state, agentUp: h.agentUp, utilisation: hostUtilisation(h, residents.get(h.id) ?? [], metric) })),
    instances: instances.map((i) => ({
      instanceId: i.id,
      name: i.name,
      hostId: i.hostId,
      vcpus: i.vcpus,
      memoryMiB: i.memoryMiB,
      lastMigratedAt: i.lastMigratedAt === undefined ? null : new Date(i.lastMigratedAt).toISOString(),
    })),
    inCooldownInstanceIds: [...inCooldown],
  };
}
