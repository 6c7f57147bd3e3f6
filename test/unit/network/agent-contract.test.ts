import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { HostNetworkStateDto } from '../../../src/agents/agent/network/host-network-state.dto';
import { checkHostNetworkState } from '../../../src/agents/agent/network/network-state.check';
import { compileHostState } from '../../../src/network/core/compile-host-state';
import type { NetworkModel } from '../../../src/network/core/network-model';
import { A, B, C, baseModel, VM1, withBindings } from './model-fixture';

// Whatever the controller compiles, the agent must accept: its wire DTO (as its validation pipe
// runs it) and its cross-field rules, at every step of a migration and for a legacy router.

function agentRefusals(model: NetworkModel, hostId: string): string[] {
  const state = compileHostState(model, hostId);
  const dto = plainToInstance(HostNetworkStateDto, state);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  return [...errors.map((e) => JSON.stringify(e.constraints ?? e.children)), ...checkHostNetworkState(state)];
}

describe('compiled states against the agent contract', () => {
  const before = baseModel();
  const models: Array<[string, NetworkModel]> = [
    ['before', before],
    [
      'pre-plugged',
      withBindings(before, VM1, [
        { hostId: A, status: 'ACTIVE' },
        { hostId: B, status: 'INACTIVE' },
      ]),
    ],
    [
      'switched',
      withBindings(before, VM1, [
        { hostId: A, status: 'INACTIVE' },
        { hostId: B, status: 'ACTIVE' },
      ]),
    ],
    ['committed', withBindings(before, VM1, [{ hostId: B, status: 'ACTIVE' }])],
    [
      'legacy',
      {
        ...before,
        routers: [
          { id: before.routers[0].id, distributed: false, legacyHostId: C, externalNetworkId: before.routers[0].externalNetworkId },
        ],
      },
    ],
  ];

  it.each(models)('the agent accepts every host state %s', (_name, model) => {
    for (const host of [A, B, C]) expect(agentRefusals(model, host)).toEqual([]);
  });
});
