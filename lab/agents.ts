import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep, waitFor } from './exec';
import { instancesPath, labDir, projectRoot } from './paths';
import { AGENT_PORT, EXTERNAL, HOST_IFACES, PROBER, type LabHost } from './topology';

// One livemig host agent per lab host (in the host's namespace, on its
// management IP) and one in the prober namespace. Detached, so they outlive
// `lab up`; found again through pid files under the lab dir.

/** The name the prober's agent reports, and the key for its token. */
export const PROBER_AGENT_NAME = 'prober';
/** The agent in the external namespace: it probes floating IPs from outside (north-south). */
export const EXTERNAL_AGENT_NAME = 'external';

export interface LabAgent {
  /** Host name as the controller knows it, or `prober`. */
  name: string;
  netns: string;
  listenIp: string;
  url: string;
  /** Host agents apply tenant networking: their external leg and a namespace prefix (see hostAgent). */
  extraArgs?: string[];
  /** Served over HTTPS (see withTls); absent: plain HTTP, the lab's default. */
  tls?: LabAgentTls;
}

/** PEM files: what the agent serves and trusts, and what the lab's health check trusts and presents. */
export interface LabAgentTls {
  cert: string;
  key: string;
  /** The agent asks every client for a certificate this CA signed (mutual TLS). */
  clientCa?: string;
  /** The CA the health check verifies the agent with, and its client certificate (for mutual TLS). */
  ca: string;
  client?: { cert: string; key: string };
}

/** The same agent served over HTTPS on the same address. */
export function withTls(agent: LabAgent, tls: LabAgentTls): LabAgent {
  return { ...agent, url: agent.url.replace(/^http:/, 'https:'), tls };
}

function tlsArgs(tls: LabAgentTls | undefined): string[] {
  if (tls === undefined) return [];
  return ['--tls-cert', tls.cert, '--tls-key', tls.key, ...(tls.clientCa === undefined ? [] : ['--tls-client-ca', tls.clientCa])];
}

export function hostAgent(host: LabHost): LabAgent {
  // Every lab host shares this machine's /run/netns, so each names its qrouter/fip namespaces with its own prefix.
  const extraArgs = ['--external-interface', HOST_IFACES.external, '--netns-prefix', hostNetnsPrefix(host)];
  return { name: host.name, netns: host.netns, listenIp: host.mgmtIp, url: host.agentUrl, extraArgs };
}

/** `lm-a-`: `lab down` sweeps it with the other `lm-` namespaces. */
export function hostNetnsPrefix(host: LabHost): string {
  return `lm-${host.letter}-`;
}

export const PROBER_AGENT: LabAgent = { name: PROBER_AGENT_NAME, netns: PROBER.netns, listenIp: PROBER.mgmtIp, url: PROBER.agentUrl };
export const EXTERNAL_AGENT: LabAgent = {
  name: EXTERNAL_AGENT_NAME,
  netns: EXTERNAL.netns,
  listenIp: EXTERNAL.mgmtIp,
  url: EXTERNAL.agentUrl,
};

export function labAgents(hosts: readonly LabHost[]): LabAgent[] {
  return [...hosts.map(hostAgent), PROBER_AGENT, EXTERNAL_AGENT];
}

export function agentsDir(): string {
  return join(labDir(), 'agents');
}

export function agentPaths(name: string) {
  if (!/^[a-z][a-z0-9-]{0,30}$/.test(name)) throw new RangeError(`"${name}" is not a lab agent name`);
  const root = join(agentsDir(), name);
  return {
    root,
    tokenFile: join(root, 'token'),
    pidFile: join(root, 'agent.pid'),
    log: join(root, 'agent.log'),
    dataDir: join(root, 'data'),
  };
}

/** The agent's bearer token; made (mode 0600) on first use and kept while the lab is up. */
export function ensureAgentToken(name: string): string {
  const p = agentPaths(name);
  if (!existsSync(p.tokenFile)) {
    mkdirSync(p.root, { recursive: true, mode: 0o700 });
    writeFileSync(p.tokenFile, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  }
  chmodSync(p.tokenFile, 0o600);
  return readFileSync(p.tokenFile, 'utf8').trim();
}

/** The token of a running lab's agent; throws when the lab has none for `name`. */
export function readAgentToken(name: string): string {
  const p = agentPaths(name);
  if (!existsSync(p.tokenFile)) throw new Error(`the lab has no agent token for "${name}" (is the lab up?)`);
  return readFileSync(p.tokenFile, 'utf8').trim();
}

function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    return false;
  }
}

/** The pid from the pid file, if that process is still this agent (pids get reused). */
export function agentPid(agent: LabAgent): number | undefined {
  const p = agentPaths(agent.name);
  if (!existsSync(p.pidFile)) return undefined;
  const pid = Number(readFileSync(p.pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !running(pid)) return undefined;
  let argv: string[];
  try {
    argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return undefined;
  }
  const hostAt = argv.indexOf('--host');
  return argv.includes('agent') && hostAt >= 0 && argv[hostAt + 1] === agent.name ? pid : undefined;
}

export interface AgentHealthCheck {
  ok: boolean;
  status?: number;
  error?: string;
}

/** GET /v1/health from this (the root) namespace, through the controller leg. */
export async function agentHealth(agent: LabAgent, token: string | undefined, timeoutMs = 2_000): Promise<AgentHealthCheck> {
  if (agent.tls !== undefined) return httpsHealth(agent.url, agent.tls, token, timeoutMs);
  try {
    const res = await fetch(`${agent.url}/v1/health`, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    return { ok: res.status === 200, status: res.status };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

// fetch cannot be given a CA or a client certificate; node:https can.
function httpsHealth(url: string, tls: LabAgentTls, token: string | undefined, timeoutMs: number): Promise<AgentHealthCheck> {
  return new Promise((resolve) => {
    const req = httpsRequest(
      `${url}/v1/health`,
      {
        ca: readFileSync(tls.ca),
        ...(tls.client === undefined ? {} : { cert: readFileSync(tls.client.cert), key: readFileSync(tls.client.key) }),
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ ok: res.statusCode === 200, status: res.statusCode }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err) => resolve({ ok: false, error: err.message }));
    req.end();
  });
}

function cliPath(): string {
  const root = projectRoot();
  if (!existsSync(join(root, 'dist', 'src', 'cli', 'main.js')))
    throw new Error('the lab agents run the built CLI: run `npm run build` first');
  return join(root, 'bin', 'livemig.js');
}

/** Starts the agent unless it is running; waits until it answers its health check. */
export async function startLabAgent(agent: LabAgent, timeoutMs = 30_000): Promise<number> {
  const existing = agentPid(agent);
  const token = ensureAgentToken(agent.name);
  const p = agentPaths(agent.name);
  let pid = existing;
  if (pid === undefined) {
    mkdirSync(p.dataDir, { recursive: true });
    const argv = [
      // nsenter, not `ip netns exec`: that would give the agent a private mount namespace, where the
      // qrouter/fip namespaces it makes are invisible to the machine and vanish when it stops.
      `--net=/run/netns/${agent.netns}`,
      process.execPath,
      cliPath(),
      'agent',
      '--listen',
      `${agent.listenIp}:${AGENT_PORT}`,
      '--token-file',
      p.tokenFile,
      '--host',
      agent.name,
      '--data-dir',
      p.dataDir,
      '--instances-path',
      instancesPath(),
      ...(agent.extraArgs ?? []),
      ...tlsArgs(agent.tls),
    ];
    const logFd = openSync(p.log, 'a');
    try {
      // child_process, not execa: execa refuses raw fds in async mode and pipes `{file}`
      // through this process, which the detached agent must outlive.
      // nsenter execs the command, so the child's pid is the agent's.
      const child = spawn('nsenter', argv, { cwd: projectRoot(), detached: true, stdio: ['ignore', logFd, logFd] });
      child.on('error', () => undefined);
      child.unref();
      if (child.pid === undefined) throw new Error(`could not start the ${agent.name} agent`);
      pid = child.pid;
    } finally {
      closeSync(logFd);
    }
    writeFileSync(p.pidFile, `${pid}\n`);
  }
  const started = pid;
  const outcome = await waitFor(
    `the ${agent.name} agent at ${agent.url}`,
    async () => {
      if (!running(started)) return 'exited';
      return (await agentHealth(agent, token, 1_000)).ok ? 'healthy' : undefined;
    },
    timeoutMs,
    150,
  );
  if (outcome === 'exited') throw new Error(`the ${agent.name} agent exited; ${p.log}: ${tail(p.log)}`);
  return started;
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' | ');
  } catch {
    return '';
  }
}

/** SIGTERM (the agent stops its captures and probes), SIGKILL after 3 s. */
export async function stopLabAgent(agent: LabAgent, signal: NodeJS.Signals = 'SIGTERM'): Promise<boolean> {
  const pid = agentPid(agent);
  if (pid === undefined) return false;
  try {
    process.kill(pid, signal);
  } catch {
    return true;
  }
  const deadline = Date.now() + 3_000;
  while (Date.now() < deadline && running(pid)) await sleep(50);
  if (running(pid)) {
    process.kill(pid, 'SIGKILL');
    const killDeadline = Date.now() + 3_000;
    while (Date.now() < killDeadline && running(pid)) await sleep(50);
  }
  return true;
}

/** Stops every agent that has a pid file, whatever host count made it. */
export async function stopAllLabAgents(agents: readonly LabAgent[]): Promise<number> {
  const stopped = await Promise.all(agents.map((a) => stopLabAgent(a)));
  return stopped.filter(Boolean).length;
}

export function removeAgentDirs(): void {
  rmSync(agentsDir(), { recursive: true, force: true });
}
