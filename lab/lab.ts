import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  EXTERNAL_AGENT,
  PROBER_AGENT,
  agentHealth,
  hostAgent,
  labAgents,
  readAgentToken,
  removeAgentDirs,
  startLabAgent,
  stopAllLabAgents,
  type LabAgent,
} from './agents';
import { execIn, listNetns, run } from './exec';
import { withLabLock } from './lab-lock';
import { parseGuestCmdline } from './domain-xml';
import { installGuestImage } from './guest';
import { ensureHostWrapper, killNetnsProcesses, prepareHostDirs, saveCapabilityCache, startLibvirtd, virsh } from './libvirtd';
import {
  controllerLegLeftovers,
  createExternal,
  createFabric,
  createHostNetwork,
  createProber,
  deleteNetns,
  ensureControllerLeg,
  ping,
  removeControllerLeg,
} from './network';
import { hostPaths, instancesPath, labDir } from './paths';
import { clearLabState, readLabState, writeLabState } from './state';
import { topology } from './current-topology';
import {
  ALL_LAB_HOSTS,
  CONTROLLER_IFACE,
  CONTROLLER_IP,
  DEFAULT_LAB_HOSTS,
  EXTERNAL,
  FABRIC_NETNS,
  PROBER,
  isLabNetns,
  labHosts,
  type LabHost,
} from './topology';

// `lab up`, `lab down` and `lab status`.

export interface LabUpOptions {
  hosts?: number;
  log?: (line: string) => void;
}

export interface LabUpResult {
  hosts: LabHost[];
  alreadyUp: boolean;
  /** Bringing up namespaces and daemons, the image build excluded. */
  upMs: number;
  imageMs: number;
  imageBuilt: boolean;
}

function requireRoot(): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) throw new Error('the lab needs root (network namespaces, mounts)');
}

export async function labUp(opts: LabUpOptions = {}): Promise<LabUpResult> {
  requireRoot();
  return withLabLock(() => up(opts));
}

async function up(opts: LabUpOptions): Promise<LabUpResult> {
  const count = opts.hosts ?? DEFAULT_LAB_HOSTS;
  const hosts = labHosts(count);
  const log = opts.log ?? (() => undefined);

  const state = readLabState();
  if (state?.hosts === count) {
    try {
      // Idempotent: brings back a missing controller leg or a dead agent without a rebuild.
      await ensureControllerLeg();
      await startAgents(hosts);
    } catch (err) {
      log(`could not repair the lab (${err instanceof Error ? err.message : String(err)})`);
    }
    const status = await labStatus({ pingGuests: false });
    if (status.healthy) return { hosts, alreadyUp: true, upMs: 0, imageMs: 0, imageBuilt: false };
    log('lab is unhealthy; rebuilding it');
  } else if (state) {
    log(`lab has ${state.hosts} hosts; rebuilding it with ${count}`);
  }
  await down();

  const imageStart = Date.now();
  const image = await installGuestImage();
  const imageMs = Date.now() - imageStart;
  if (image.built) log(`guest image built in ${imageMs} ms`);

  const started = Date.now();
  const wrapper = await ensureHostWrapper();
  const vteps = [PROBER.vtepIp, ...hosts.map((h) => h.vtepIp)];
  await createFabric();
  for (const host of hosts) await createHostNetwork(host, vteps);
  await createProber(vteps);
  await createExternal();
  await ensureControllerLeg();
  log(`networks ready in ${Date.now() - started} ms`);

  const [first, ...rest] = hosts as [LabHost, ...LabHost[]];
  prepareHostDirs(first);
  await startLibvirtd(first, wrapper);
  saveCapabilityCache(first);
  for (const host of rest) prepareHostDirs(host);
  await Promise.all(rest.map((h) => startLibvirtd(h, wrapper)));
  log(`libvirtd up in ${Date.now() - started} ms`);
  await startAgents(hosts);
  log(`agents up in ${Date.now() - started} ms`);
  writeLabState({ hosts: count, upAt: new Date().toISOString() });
  const upMs = Date.now() - started;
  log(`${count} hosts up in ${upMs} ms`);
  return { hosts, alreadyUp: false, upMs, imageMs, imageBuilt: image.built };
}

/** Started side by side: each is a NestJS app that takes a second or two to boot. */
async function startAgents(hosts: readonly LabHost[]): Promise<void> {
  await Promise.all(labAgents(hosts).map((a) => startLabAgent(a)));
}

export interface LabDownResult {
  namespaces: string[];
  processesEnded: number;
  /** What the root namespace still holds of the lab (link, addresses, routes); empty after a clean down. */
  rootLeftovers: string[];
}

/** Removes every lab namespace and process, whatever state a failed `up` left. */
export async function labDown(): Promise<LabDownResult> {
  requireRoot();
  return withLabLock(down);
}

async function down(): Promise<LabDownResult> {
  const known = new Set([FABRIC_NETNS, PROBER.netns, EXTERNAL.netns, ...ALL_LAB_HOSTS.map((h) => h.netns)]);
  const present = (await listNetns()).filter((ns) => known.has(ns) || isLabNetns(ns));
  // Agents first, by pid file and with TERM, so they stop their captures; the sweep below gets the rest.
  const agentsStopped = await stopAllLabAgents(labAgents(ALL_LAB_HOSTS));
  const ended = await Promise.all(present.map((ns) => killNetnsProcesses(ns)));
  const processesEnded = agentsStopped + ended.reduce((a, b) => a + b, 0);
  await removeControllerLeg();
  for (const ns of present) await deleteNetns(ns);
  removeAgentDirs();
  for (const host of ALL_LAB_HOSTS) rmSync(hostPaths(host.name).root, { recursive: true, force: true });
  rmSync(join(labDir(), 'domains'), { recursive: true, force: true });
  // Guest disks go; the kernel and initramfs stay for the next `up`.
  rmSync(instancesPath(), { recursive: true, force: true });
  clearLabState();
  return { namespaces: present, processesEnded, rootLeftovers: await controllerLegLeftovers() };
}

export interface HostStatus {
  name: string;
  netns: string;
  libvirtUri: string;
  /** Which other host's namespace the URI was tried from. */
  checkedFrom: string;
  libvirtOk: boolean;
  error?: string;
  /** `virsh -c <uri> hostname` from the root namespace, over the controller leg. */
  libvirtFromRootOk: boolean;
  agentUrl: string;
  /** GET /v1/health with the agent's token, from the root namespace. */
  agentOk: boolean;
  guests: GuestStatus[];
}

export interface GuestStatus {
  name: string;
  state: string;
  ip?: string;
  pingOk?: boolean;
}

export interface LabStatus {
  up: boolean;
  healthy: boolean;
  /** The root namespace's leg onto the management network. */
  controllerLeg: { iface: string; ip: string; ok: boolean };
  prober: { agentUrl: string; agentOk: boolean };
  external: { agentUrl: string; agentOk: boolean };
  hosts: HostStatus[];
  namespaces: string[];
}

export async function labStatus(opts: { pingGuests?: boolean } = {}): Promise<LabStatus> {
  const state = readLabState();
  const namespaces = (await listNetns()).filter(isLabNetns);
  const leg = { iface: CONTROLLER_IFACE, ip: CONTROLLER_IP, ok: await controllerLegUp() };
  if (!state) {
    const none = { up: false, healthy: false, controllerLeg: leg, hosts: [], namespaces };
    return { ...none, prober: { agentUrl: PROBER.agentUrl, agentOk: false }, external: { agentUrl: EXTERNAL.agentUrl, agentOk: false } };
  }
  const hosts = topology(state.hosts).hosts;
  const out: HostStatus[] = [];
  for (const [i, host] of hosts.entries()) {
    // Ask from the other host's namespace: that is the path a migration takes.
    const from = hosts[(i + 1) % hosts.length];
    const status: HostStatus = {
      name: host.name,
      netns: host.netns,
      libvirtUri: host.libvirtUri,
      checkedFrom: from.name,
      libvirtOk: false,
      libvirtFromRootOk: false,
      agentUrl: host.agentUrl,
      agentOk: false,
      guests: [],
    };
    const fromRoot = await run(['virsh', '-c', host.libvirtUri, 'hostname'], { allowFailure: true, timeoutMs: 10_000 });
    status.libvirtFromRootOk = fromRoot.exitCode === 0;
    status.agentOk = await agentAnswers(hostAgent(host));
    const list = await execIn(from.netns, ['virsh', '-q', '-c', host.libvirtUri, 'list', '--all'], {
      allowFailure: true,
      timeoutMs: 10_000,
    });
    status.libvirtOk = list.exitCode === 0;
    if (!status.libvirtOk) status.error = list.stderr.trim().split('\n').pop();
    for (const line of list.stdout.split('\n')) {
      const m = /^\s*(\S+)\s+(\S+)\s+(.+?)\s*$/.exec(line);
      if (!m) continue;
      const guest: GuestStatus = { name: m[2], state: m[3] };
      const xml = await virsh(host, ['dumpxml', guest.name], { allowFailure: true });
      guest.ip = parseGuestCmdline(xml.stdout).ip;
      if (opts.pingGuests !== false && guest.ip && guest.state === 'running') {
        guest.pingOk = (await ping(PROBER.netns, guest.ip, { count: 2, intervalMs: 200 })).received > 0;
      }
      status.guests.push(guest);
    }
    out.push(status);
  }
  const prober = { agentUrl: PROBER.agentUrl, agentOk: await agentAnswers(PROBER_AGENT) };
  const external = { agentUrl: EXTERNAL.agentUrl, agentOk: await agentAnswers(EXTERNAL_AGENT) };
  const healthy =
    leg.ok &&
    prober.agentOk &&
    external.agentOk &&
    out.every((h) => h.libvirtOk && h.libvirtFromRootOk && h.agentOk && h.guests.every((g) => g.pingOk !== false));
  return { up: true, healthy, controllerLeg: leg, prober, external, hosts: out, namespaces };
}

async function controllerLegUp(): Promise<boolean> {
  const r = await run(['ip', '-4', '-o', 'addr', 'show', 'dev', CONTROLLER_IFACE, 'up'], { allowFailure: true });
  return r.exitCode === 0 && r.stdout.includes(` ${CONTROLLER_IP}/`);
}

async function agentAnswers(agent: LabAgent): Promise<boolean> {
  let token: string;
  try {
    token = readAgentToken(agent.name);
  } catch {
    return false;
  }
  return (await agentHealth(agent, token)).ok;
}

export function formatLabStatus(status: LabStatus): string {
  if (!status.up) {
    return status.namespaces.length > 0
      ? `lab is down, but leftovers exist: ${status.namespaces.join(', ')} (run lab down)`
      : 'lab is down';
  }
  const okText = (ok: boolean) => (ok ? 'ok' : 'FAILED');
  const lines = [
    `lab is ${status.healthy ? 'healthy' : 'UNHEALTHY'} (${status.hosts.length} hosts)`,
    `  controller leg ${status.controllerLeg.iface} ${status.controllerLeg.ip}  ${status.controllerLeg.ok ? 'up' : 'MISSING'}`,
    `  prober agent ${status.prober.agentUrl}  ${okText(status.prober.agentOk)}`,
    `  external agent ${status.external.agentUrl}  ${okText(status.external.agentOk)}`,
  ];
  for (const h of status.hosts) {
    lines.push(
      `  ${h.name}  ${h.libvirtUri}  libvirt ${h.libvirtOk ? 'ok' : `FAILED (${h.error ?? '?'})`} from ${h.checkedFrom}, ${okText(h.libvirtFromRootOk)} from root; agent ${h.agentUrl} ${okText(h.agentOk)}`,
    );
    for (const g of h.guests) {
      const pingText = g.pingOk === undefined ? '' : g.pingOk ? '  ping ok from prober' : '  ping FAILED from prober';
      lines.push(`    guest ${g.name}  ${g.state}  ${g.ip ?? ''}${pingText}`);
    }
  }
  return lines.join('\n');
}
