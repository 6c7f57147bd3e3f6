// The model as it will be once a port's binding on a host is ACTIVE (Neutron's binding activation:
// the port's other bindings become INACTIVE). For planning a switchover before it happens. Pure.
import type { NetworkModel } from './network-model';

export function withBindingsActive(model: NetworkModel, portIds: readonly string[], hostId: string): NetworkModel {
  const moving = new Set(portIds);
  return {
    ...model,
    revision: model.revision + 1,
    ports: model.ports.map((p) => {
      if (!moving.has(p.id)) return p;
      const others = p.bindings.filter((b) => b.hostId !== hostId).map((b) => ({ ...b, status: 'INACTIVE' as const }));
      return { ...p, bindings: [...others, { hostId, status: 'ACTIVE' as const }] };
    }),
  };
}
