import { writeFileSync } from 'node:fs';
import { mkdtemp, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { createAgentApp } from '../../../src/agents/agent/agent.app';
import type { AgentConfig } from '../../../src/agents/agent/agent.config';
import type { TcpEchoProberFactory } from '../../../src/agents/agent/probes/tcp-echo.prober';
import { FakeProcessRunner, type FakeRunningProcess } from '../../../src/common/process/fake-process-runner';

export const TOKEN = 'agent-token-0123456789abcdef';
/** A pcap file header with the nanosecond magic, as tcpdump --time-stamp-precision=nano writes it. */
export const PCAP_NS_HEADER = Buffer.from('4d3cb2a1' + '02000400' + '00000000' + '00000000' + '80000000' + '01000000', 'hex');

export function fakeTcpdump(p: FakeRunningProcess): void {
  const file = p.args[p.args.indexOf('-w') + 1] ?? '';
  writeFileSync(file, PCAP_NS_HEADER);
  p.emit('stderr', `tcpdump: listening on ${p.args[1]}, link-type EN10MB (Ethernet), snapshot length 128 bytes\n`);
  p.onKill = (signal) => {
    p.emit('stderr', '5 packets captured\n6 packets received by filter\n0 packets dropped by kernel\n');
    p.exit({ signal });
  };
}

export function fakePing(p: FakeRunningProcess): void {
  p.onKill = (signal) => {
    p.emit('stderr', `${p.args.at(-1)} : xmt/rcv/%loss = 200/198/1%, min/avg/max = 0.011/0.019/0.042\n`);
    p.exit({ signal });
  };
}

export interface FakeAgent {
  app: INestApplication;
  runner: FakeProcessRunner;
  config: AgentConfig;
}

export async function startFakeAgent(tcpEchoProber?: TcpEchoProberFactory, extra: Partial<AgentConfig> = {}): Promise<FakeAgent> {
  const root = await mkdtemp(join(tmpdir(), 'livemig-agent-'));
  const instancesPath = join(root, 'instances');
  await mkdir(instancesPath);
  const config: AgentConfig = { host: 'hostA', token: TOKEN, dataDir: join(root, 'data'), instancesPath, version: '0.1.0', ...extra };
  const runner = new FakeProcessRunner().whenStarted('tcpdump', fakeTcpdump).whenStarted('fping', fakePing);
  const app = await createAgentApp(config, { runner, logLevels: false, tcpEchoProber });
  await app.init();
  return { app, runner, config };
}
