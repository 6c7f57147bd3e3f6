import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { HttpAgentClient } from '../../src/agents/client/http-agent.client';
import { describeAgentContract } from '../support/agents/agent-contract';

// The host agent contract against the real agent: `livemig agent` in a throwaway host namespace with
// a data link to a peer namespace, real tcpdump, fping, ip and /proc. Addresses from 198.18.0.0/15
// (RFC 2544), apart from the lab's ranges and from agent-capture.test.ts's.

const ROOT = resolve(__dirname, '../..');
const SUFFIX = String(process.pid % 100_000);
const NS_HOST = `lmc-host-${SUFFIX}`;
const NS_PEER = `lmc-peer-${SUFFIX}`;
const ROOT_IFACE = `lmcr${SUFFIX}`;
const HOST_MGMT_IP = '198.18.243.2';
const HOST_DATA_IP = '198.18.242.1';
const PEER_DATA_IP = '198.18.242.2';
const PORT = 7071;
const TOKEN = `lmc-token-${SUFFIX}-0123456789abcdef`;
const HOST = 'lmc-host';

const ip = (...args: string[]) => execa('ip', args);

describeAgentContract('the real agent in a host namespace (lab)', async () => {
  if (process.getuid?.() !== 0) throw new Error('this test creates network namespaces and needs root');
  if (!existsSync(join(ROOT, 'dist/src/cli/commands/agent.command.js'))) throw new Error('run `npm run build` first');
  const work = await mkdtemp(join(tmpdir(), 'lmc-agent-'));
  await mkdir(join(work, 'instances'));
  await writeFile(join(work, 'token'), `${TOKEN}\n`, { mode: 0o600 });
  await ip('netns', 'add', NS_HOST);
  await ip('netns', 'add', NS_PEER);
  for (const ns of [NS_HOST, NS_PEER]) await ip('-n', ns, 'link', 'set', 'lo', 'up');
  await ip('link', 'add', 'lmc-d0', 'netns', NS_HOST, 'type', 'veth', 'peer', 'name', 'lmc-d1', 'netns', NS_PEER);
  await ip('-n', NS_HOST, 'addr', 'add', `${HOST_DATA_IP}/30`, 'dev', 'lmc-d0');
  await ip('-n', NS_PEER, 'addr', 'add', `${PEER_DATA_IP}/30`, 'dev', 'lmc-d1');
  await ip('-n', NS_HOST, 'link', 'set', 'lmc-d0', 'up');
  await ip('-n', NS_PEER, 'link', 'set', 'lmc-d1', 'up');
  await ip('link', 'add', ROOT_IFACE, 'type', 'veth', 'peer', 'name', 'lmc-m0', 'netns', NS_HOST);
  await ip('addr', 'add', '198.18.243.1/30', 'dev', ROOT_IFACE);
  await ip('-n', NS_HOST, 'addr', 'add', `${HOST_MGMT_IP}/30`, 'dev', 'lmc-m0');
  await ip('link', 'set', ROOT_IFACE, 'up');
  await ip('-n', NS_HOST, 'link', 'set', 'lmc-m0', 'up');

  const script = [
    "const { Command } = require('commander');",
    "const program = new Command('livemig');",
    "require('./dist/src/cli/commands/agent.command').registerAgentCommand(program);",
    'program.parseAsync(process.argv).catch((e) => { console.error(e.message); process.exit(1); });',
  ].join('\n');
  const options = ['--listen', `${HOST_MGMT_IP}:${PORT}`, '--token-file', join(work, 'token'), '--host', HOST];
  options.push('--data-dir', join(work, 'data'), '--instances-path', join(work, 'instances'));
  let log = '';
  const agent: ChildProcess = spawn('ip', ['netns', 'exec', NS_HOST, 'node', '-e', script, 'livemig', 'agent', ...options], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  agent.stdout?.on('data', (c: Buffer) => (log += c.toString()));
  agent.stderr?.on('data', (c: Buffer) => (log += c.toString()));
  const client = new HttpAgentClient({ host: HOST, url: `http://${HOST_MGMT_IP}:${PORT}`, token: TOKEN });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (agent.exitCode !== null) throw new Error(`the agent exited: ${log}`);
    if (
      await client.health().then(
        () => true,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error(`the agent did not answer within 20 s\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    client,
    host: HOST,
    instancesPath: join(work, 'instances'),
    interfaceName: 'lmc-d0',
    absentInterface: 'lmc-nosuch',
    probeTarget: PEER_DATA_IP,
    vtepIp: HOST_DATA_IP,
    absentGuest: 'instance-0000beef',
    probeRunMs: 500,
    close: async () => {
      if (agent.exitCode === null) {
        agent.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 300));
        if (agent.exitCode === null) agent.kill('SIGKILL');
      }
      for (const ns of [NS_HOST, NS_PEER]) await execa('ip', ['netns', 'del', ns], { reject: false });
      await execa('ip', ['link', 'del', ROOT_IFACE], { reject: false });
      await rm(work, { recursive: true, force: true });
    },
  };
});
