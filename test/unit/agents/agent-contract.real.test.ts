import type { AddressInfo } from 'node:net';
import { HttpAgentClient } from '../../../src/agents/client/http-agent.client';
import { describeAgentContract } from '../../support/agents/agent-contract';
import { startFakeAgent, TOKEN } from './fake-agent';

// The real agent app over HTTP, in-process, with tcpdump, fping and ip played by a fake process runner.
const ABSENT_INTERFACE = 'nosuch0';

describeAgentContract('the agent app in-process (fake process runner)', async () => {
  const agent = await startFakeAgent();
  agent.runner.whenRun((command, args) =>
    command === 'ip' && args.includes(ABSENT_INTERFACE)
      ? { exitCode: 1, stderr: `Device "${ABSENT_INTERFACE}" does not exist.\n` }
      : undefined,
  );
  await agent.app.listen(0, '127.0.0.1');
  const { port } = agent.app.getHttpServer().address() as AddressInfo;
  return {
    client: new HttpAgentClient({ host: agent.config.host, url: `http://127.0.0.1:${port}`, token: TOKEN }),
    host: agent.config.host,
    instancesPath: agent.config.instancesPath,
    interfaceName: 'mig0',
    absentInterface: ABSENT_INTERFACE,
    probeTarget: '192.0.2.12',
    vtepIp: '198.51.100.131',
    absentGuest: 'instance-0000beef',
    probeRunMs: 0,
    close: () => agent.app.close(),
  };
});
