import { BadGatewayException, ConflictException, UnprocessableEntityException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import type { AgentDirectory } from '../../../src/agents/agent-directory.service';
import type { HostEntity } from '../../../src/inventory/hosts/host.entity';
import type { HostsRepository } from '../../../src/inventory/repositories/hosts.repository';
import { MissingFipGatewayError } from '../../../src/network/core/fip-namespaces';
import type { NetworkRevisionRepository } from '../../../src/network/repositories/network-revision.repository';
import type { NetworkSyncService } from '../../../src/network/sync/network-sync.service';
import { NetworkStatusService } from '../../../src/network/sync/network-status.service';

const HOST = { id: '00000000-0000-4000-8000-000000000001', name: 'compute-a' } as HostEntity;

/** The service on fakes of its repositories and of the agent directory. */
function service(
  agent: { networkStatus?: () => Promise<unknown>; reconcileNetwork?: () => Promise<unknown> },
  desired?: () => never,
  generation: string | null = null,
) {
  const hosts = {
    findById: (id: string) => Promise.resolve(id === HOST.id ? HOST : null),
    findByName: (name: string) => Promise.resolve(name === HOST.name ? HOST : null),
  } as unknown as HostsRepository;
  const revision = {
    current: () => Promise.resolve({ revision: 7, generation }),
  } as unknown as NetworkRevisionRepository;
  const agents = { clientFor: () => Promise.resolve(agent) } as unknown as AgentDirectory;
  const sync = { desiredState: desired ?? (() => Promise.resolve({})) } as unknown as NetworkSyncService;
  return new NetworkStatusService(sync, agents, hosts, revision);
}

describe('NetworkStatusService', () => {
  it('compares the revision the agent applied with the desired one', async () => {
    const applied = service({ networkStatus: () => Promise.resolve({ lastApply: { revision: 7 } }) });
    await expect(applied.status('compute-a')).resolves.toMatchObject({
      host: 'compute-a',
      desiredRevision: 7,
      appliedRevision: 7,
      inSync: true,
    });
    const never = service({ networkStatus: () => Promise.resolve({ lastApply: null }) });
    await expect(never.status(HOST.id)).resolves.toMatchObject({ appliedRevision: null, inSync: false });
  });

  it('is not in sync while the agent holds another database generation', async () => {
    const ours = 'a1b2c3d4-0000-4000-8000-000000000001';
    const theirs = 'a1b2c3d4-0000-4000-8000-000000000002';
    const status = (held: string) => ({ lastApply: { revision: 7 }, desired: { generation: held } });
    await expect(
      service({ networkStatus: () => Promise.resolve(status(ours)) }, undefined, ours).status('compute-a'),
    ).resolves.toMatchObject({
      inSync: true,
      generation: ours,
      heldGeneration: ours,
      heldByOtherGeneration: false,
    });
    await expect(
      service({ networkStatus: () => Promise.resolve(status(theirs)) }, undefined, ours).status('compute-a'),
    ).resolves.toMatchObject({
      inSync: false,
      heldGeneration: theirs,
      heldByOtherGeneration: true,
    });
  });

  it('answers 502 when the agent does not answer, 422 for an unknown host', async () => {
    const down = service({
      networkStatus: () => Promise.reject(new Error('ECONNREFUSED')),
      reconcileNetwork: () => Promise.reject(new Error('ECONNREFUSED')),
    });
    await expect(down.status('compute-a')).rejects.toBeInstanceOf(BadGatewayException);
    await expect(down.reconcile('compute-a')).rejects.toBeInstanceOf(BadGatewayException);
    await expect(down.status('compute-z')).rejects.toBeInstanceOf(UnprocessableEntityException);
  });

  it('answers 409 while the fip gateway of the host is not allocated, 422 for a model it cannot compile', async () => {
    const missing = service({}, () => {
      throw new MissingFipGatewayError(HOST.id, 'net-x');
    });
    await expect(missing.desiredState('compute-a')).rejects.toBeInstanceOf(ConflictException);
    const broken = service({}, () => {
      throw new RangeError('host compute-a has no VTEP address');
    });
    await expect(broken.desiredState('compute-a')).rejects.toBeInstanceOf(UnprocessableEntityException);
  });
});
