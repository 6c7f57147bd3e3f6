import { describe, expect, it } from 'vitest';
import { AgentError } from '../../../src/agents/client/agent.client';
import { FakeAgentClient, type SharedStorage } from '../../support/agents/fake-agent.client';

describe('FakeAgentClient', () => {
  it('shares markers between hosts on one storage only', async () => {
    const nfs: SharedStorage = new Map();
    const source = new FakeAgentClient('hostA', nfs);
    const sameStorage = new FakeAgentClient('hostB', nfs);
    const localDisk = new FakeAgentClient('hostC');
    const marker = await source.createMarker();
    expect(await sameStorage.readMarker(marker.markerId)).toEqual(marker);
    await expect(localDisk.readMarker(marker.markerId)).rejects.toMatchObject({ host: 'hostC', statusCode: 404 });
  });

  it('fails on demand with an AgentError and records calls', async () => {
    const agent = new FakeAgentClient('hostA').failOn('health', 'connect ECONNREFUSED', 0);
    const err = await agent.health().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentError);
    expect(err).toMatchObject({ failure: 'unreachable', reason: 'connect ECONNREFUSED' });
    expect(agent.calls).toEqual([{ method: 'health', args: [] }]);
  });

  it('walks a capture through start, stop and delete', async () => {
    const agent = new FakeAgentClient('hostA');
    const { captureId } = await agent.startCapture({ interface: 'mig0' });
    expect((await agent.stopCapture(captureId)).state).toBe('stopped');
    await agent.deleteCapture(captureId);
    await expect(agent.getCapture(captureId)).rejects.toMatchObject({ statusCode: 404 });
  });
});
