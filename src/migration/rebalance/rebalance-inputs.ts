// Pure: what a rebalancing run feeds the planner, and what the audit row records of it.
import { hostUtilisation, type BalanceMetric, type HostCapacity, type InstanceLoad, type RebalanceGoal } from '../core';
import type { LoadMeasurement } from '../load/libvirt-load.service';
import type { RebalancePolicyGoal } from './rebalance-policy.entity';
import type { RebalanceRunInputs } from './rebalance-run.entity';

export function plannerGoal(goal: RebalancePolicyGoal): RebalanceGoal {
  return goal.kind === 'threshold' ? { kind: 'threshold', threshold: goal.value } : { kind: 'stddev', targetStddev: goal.value };
}

/**
 * Without a measurement: allocation-based (flavor RAM over host RAM, vCPUs over host vCPUs). With one:
 * the instances carry their measured utilisation, and each host's node figures go on the record.
 */
export function runInputs(
  hosts: readonly HostCapacity[],
  instances: readonly InstanceLoad[],
  metric: BalanceMetric,
  inCooldown: readonly string[],
  measurement?: LoadMeasurement,
): RebalanceRunInputs {
  const residents = new Map<string, InstanceLoad[]>();
  for (const i of instances) residents.set(i.hostId, [...(residents.get(i.hostId) ?? []), i]);
  const node = (hostId: string) => {
    if (!measurement) return {};
    const m = measurement.get(hostId);
    if (!m) return { measureError: 'not measured' };
    if ('error' in m) return { measureError: m.error };
    return { nodeCpuBusy: m.nodeCpuBusy, nodeMemoryUsedFraction: m.nodeMemoryUsedFraction, measureError: null };
  };
  return {
    utilisationSource: measurement ? 'libvirt' : 'allocation-estimate',
    metric,
    hosts: hosts.map((h) => ({
      hostId: h.id,
      name: h.name,
      state: h.state,
      agentUp: h.agentUp,
      utilisation: hostUtilisation(h, residents.get(h.id) ?? [], metric),
      ...node(h.id),
    })),
    instances: instances.map((i) => ({
      instanceId: i.id,
      name: i.name,
      hostId: i.hostId,
      vcpus: i.vcpus,
      memoryMiB: i.memoryMiB,
      lastMigratedAt: i.lastMigratedAt === undefined ? null : new Date(i.lastMigratedAt).toISOString(),
      ...(measurement ? { cpuUtilisation: i.cpuUtilisation ?? null, ramUtilisation: i.ramUtilisation ?? null } : {}),
    })),
    inCooldownInstanceIds: [...inCooldown],
  };
}
