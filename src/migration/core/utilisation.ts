// Host and instance load on one metric, as fractions of the host's capacity (Watcher's normalised load).
import type { HostCapacity, InstanceLoad } from './types';

export type BalanceMetric = 'cpu' | 'ram';

/** What the instance adds to a host's utilisation; unmeasured instances count at their full allocation. */
export function instanceContribution(instance: InstanceLoad, host: HostCapacity, metric: BalanceMetric): number {
  if (metric === 'cpu') return host.vcpus > 0 ? (instance.vcpus * (instance.cpuUtilisation ?? 1)) / host.vcpus : Infinity;
  return host.memoryMiB > 0 ? (instance.memoryMiB * (instance.ramUtilisation ?? 1)) / host.memoryMiB : Infinity;
}

/** The host's measured figure when there is one, otherwise the sum of its instances' contributions. */
export function hostUtilisation(host: HostCapacity, residents: readonly InstanceLoad[], metric: BalanceMetric): number {
  const measured = metric === 'cpu' ? host.cpuUtilisation : host.ramUtilisation;
  if (measured !== undefined) return measured;
  let sum = 0;
  for (const instance of residents) sum += instanceContribution(instance, host, metric);
  return sum;
}
