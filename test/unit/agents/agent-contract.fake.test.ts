import { describeAgentContract } from '../../support/agents/agent-contract';
import { FakeAgentClient } from '../../support/agents/fake-agent.client';

// The fake the controller's tests use, held to the same contract as the real agent.
describeAgentContract('FakeAgentClient', async () => {
  const instancesPath = '/var/lib/nova/instances';
  const client = new FakeAgentClient('hostA', new Map(), undefined, { instancesPath });
  client.absentInterfaces.add('nosuch0');
  client.absentGuests.add('instance-0000beef');
  return {
    client,
    host: 'hostA',
    instancesPath,
    interfaceName: 'mig0',
    absentInterface: 'nosuch0',
    probeTarget: '192.0.2.12',
    vtepIp: '198.51.100.131',
    absentGuest: 'instance-0000beef',
    probeRunMs: 0,
    close: async () => undefined,
  };
});
