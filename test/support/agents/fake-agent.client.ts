import 'reflect-metadata';
import { admitState } from '../../../src/agents/agent/network/state-admission';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { StartCaptureDto } from '../../../src/agents/agent/captures/capture.dto';
import { buildMigrationBpf, InvalidFilterError } from '../../../src/agents/agent/captures/tcpdump/capture-filter';
import { StartProbeDto } from '../../../src/agents/agent/probes/probe.dto';
import { checkAbsolutePath, checkInstancesPath, isMarkerId, markerFilePath } from '../../../src/agents/agent/storage/marker-path';
import { AgentError, type AgentClient } from '../../../src/agents/client/agent.client';
import type {
  AgentHealth,
  AgentNetworkStatus,
  ArmedSwitchoverReport,
  FiredSwitchoverReport,
  GuestMemoryInfo,
  HostNetworkState,
  MigrationLinkInfo,
  NetworkApplyReport,
  StartCaptureRequest,
  StartProbeRequest,
  StorageMarker,
} from '../../../src/agents/protocol';
import { checkDomainName, checkInterfaceName } from '../../../src/common/names';
import { checkNetworkState, checkSwitchoverId, rejectWith, validateBody } from './fake-agent-checks';
import { FakeSessions } from './fake-agent-sessions';

// An in-memory AgentClient for tests of controller services, held to the real agent by the contract
// suite (test/support/agents/agent-contract.ts). Two fakes that share one `SharedStorage` see each
// other's markers, like hosts on NFS; fakes with separate storages do not.

export type SharedStorage = Map<string, string>;

/** One host's network side as the fake agent keeps it; share it between fakes of the same host. */
export interface FakeNetworkHost {
  desired: HostNetworkState | null;
  lastApply: NetworkApplyReport | null;
  /** Every state pushed, in order. */
  pushes: HostNetworkState[];
  /** Switchover states armed and not yet fired or disarmed, by id. */
  armed: Map<string, HostNetworkState>;
  /** Every switchover fired, in order: the id and the state armed under it. */
  fired: Array<{ id: string; state: HostNetworkState }>;
}

export const newFakeNetworkHost = (): FakeNetworkHost => ({ desired: null, lastApply: null, pushes: [], armed: new Map(), fired: [] });

export interface FakeAgentOptions {
  /** The agent's configured instances path; unset, the fake takes any absolute path a test's inventory names. */
  instancesPath?: string;
}

const DEFAULT_INSTANCES_PATH = '/var/lib/nova/instances';

type Method = keyof Omit<AgentClient, 'host'>;

export class FakeAgentClient implements AgentClient {
  readonly calls: Array<{ method: Method; args: unknown[] }> = [];
  private readonly failures = new Map<Method, AgentError>();
  private readonly sessions: FakeSessions;
  /** What migrationLink() answers; a 10 Gbit link without a shaper unless a test says otherwise. */
  link: Omit<MigrationLinkInfo, 'interface'> = { speedBitsPerSec: 10e9, shapedRateBitsPerSec: null };
  /** Interfaces the host lacks (404); every other valid name exists. */
  readonly absentInterfaces = new Set<string>();
  /** Guest RAM the fake host holds, by domain; all of it unless a test says otherwise. */
  readonly guestResidentBytes = new Map<string, number>();
  /** Domains with no QEMU on the host (404); every other valid name runs. */
  readonly absentGuests = new Set<string>();

  constructor(
    readonly host: string,
    readonly storage: SharedStorage = new Map(),
    readonly network: FakeNetworkHost = newFakeNetworkHost(),
    private readonly options: FakeAgentOptions = {},
  ) {
    this.sessions = new FakeSessions(host);
  }

  /** Makes every later call of `method` fail like the agent would. */
  failOn(method: Method, reason: string, statusCode = 500): this {
    this.failures.set(method, new AgentError(this.host, statusCode === 0 ? 'unreachable' : 'rejected', reason, statusCode));
    return this;
  }

  async health(): Promise<AgentHealth> {
    this.record('health', []);
    return { host: this.host, version: 'fake', uptimeSec: 1, time: new Date().toISOString() };
  }

  async migrationLink(interfaceName: string): Promise<MigrationLinkInfo> {
    this.record('migrationLink', [interfaceName]);
    const check = checkInterfaceName(interfaceName);
    if (!check.ok) throw rejectWith(this.host, 400, check.reason);
    if (this.absentInterfaces.has(interfaceName)) throw rejectWith(this.host, 404, `no interface ${interfaceName}`);
    return { interface: interfaceName, ...this.link };
  }

  async guestMemory(domain: string, ramMiB: number): Promise<GuestMemoryInfo> {
    this.record('guestMemory', [domain, ramMiB]);
    const check = checkDomainName(domain);
    if (!check.ok) throw rejectWith(this.host, 400, check.reason);
    if (!(Number.isInteger(ramMiB) && ramMiB > 0 && ramMiB <= 16 * 1024 * 1024))
      throw rejectWith(this.host, 400, 'ramMiB must be a positive number of MiB');
    if (this.absentGuests.has(domain)) throw rejectWith(this.host, 404, `no QEMU process for ${domain} on this host`);
    const resident = this.guestResidentBytes.get(domain) ?? ramMiB * 1024 * 1024;
    return { domain, pid: 4242, ramMiB, residentBytes: resident, nonZeroBytes: resident, scannedPages: resident / 4096 };
  }

  async createMarker(instancesPath?: string): Promise<StorageMarker> {
    this.record('createMarker', [instancesPath]);
    const markerId = randomUUID();
    const marker = {
      markerId,
      content: randomBytes(32).toString('hex'),
      path: markerFilePath(this.instancesPath(instancesPath), markerId),
    };
    this.storage.set(marker.path, marker.content);
    return marker;
  }

  async readMarker(markerId: string, instancesPath?: string): Promise<StorageMarker> {
    this.record('readMarker', [markerId, instancesPath]);
    const path = this.markerPath(markerId, instancesPath);
    const content = this.storage.get(path);
    if (content === undefined) throw rejectWith(this.host, 404, `marker ${markerId} is not visible in this host's instances path`);
    return { markerId, content, path };
  }

  async deleteMarker(markerId: string, instancesPath?: string): Promise<void> {
    this.record('deleteMarker', [markerId, instancesPath]);
    if (!this.storage.delete(this.markerPath(markerId, instancesPath)))
      throw rejectWith(this.host, 404, `marker ${markerId} does not exist`);
  }

  async startCapture(request: StartCaptureRequest) {
    this.record('startCapture', [request]);
    const dto = await validateBody(this.host, StartCaptureDto, request);
    let bpf: string | null = null;
    try {
      bpf = dto.filter ? buildMigrationBpf({ migrationPorts: dto.filter.migrationPorts, rpcPorts: dto.filter.rpcPorts ?? [] }) : null;
    } catch (err) {
      if (err instanceof InvalidFilterError) throw rejectWith(this.host, 400, err.message);
      throw err;
    }
    return this.sessions.startCapture(dto.interface, bpf, dto.nanosecond ?? true);
  }

  async getCapture(captureId: string) {
    this.record('getCapture', [captureId]);
    return this.sessions.get('capture', captureId);
  }

  async stopCapture(captureId: string) {
    this.record('stopCapture', [captureId]);
    return this.sessions.stop('capture', captureId);
  }

  async downloadCapture(captureId: string, destinationFile: string): Promise<number> {
    this.record('downloadCapture', [captureId, destinationFile]);
    const pcap = this.sessions.file('capture', captureId);
    await writeFile(destinationFile, pcap);
    return pcap.length;
  }

  async deleteCapture(captureId: string): Promise<void> {
    this.record('deleteCapture', [captureId]);
    this.sessions.remove('capture', captureId);
  }

  async startProbe(request: StartProbeRequest) {
    this.record('startProbe', [request]);
    const dto = await validateBody(this.host, StartProbeDto, request);
    return this.sessions.startProbe(dto.target, dto.interface, dto.intervalMs ?? 10, dto.tcpEchoPort);
  }

  async getProbe(probeId: string) {
    this.record('getProbe', [probeId]);
    return this.sessions.get('probe', probeId);
  }

  async stopProbe(probeId: string) {
    this.record('stopProbe', [probeId]);
    return this.sessions.stop('probe', probeId);
  }

  async downloadProbe(probeId: string, destinationFile: string): Promise<number> {
    this.record('downloadProbe', [probeId, destinationFile]);
    const pcap = this.sessions.file('probe', probeId);
    await writeFile(destinationFile, pcap);
    return pcap.length;
  }

  async deleteProbe(probeId: string): Promise<void> {
    this.record('deleteProbe', [probeId]);
    this.sessions.remove('probe', probeId);
  }

  async applyNetwork(input: HostNetworkState): Promise<NetworkApplyReport> {
    this.record('applyNetwork', [input]);
    const { takeOver, ...state } = await checkNetworkState(this.host, input);
    const admission = admitState(this.network.desired, { ...state, ...(takeOver ? { takeOver } : {}) });
    if (!admission.admitted) throw rejectWith(this.host, 409, admission.message, admission.held);
    this.network.pushes.push(state);
    this.network.desired = state;
    return this.applied(state.revision);
  }

  async networkStatus(): Promise<AgentNetworkStatus> {
    this.record('networkStatus', []);
    return structuredClone({ desired: this.network.desired, lastApply: this.network.lastApply, driftLog: [] });
  }

  async reconcileNetwork(): Promise<NetworkApplyReport> {
    this.record('reconcileNetwork', []);
    if (!this.network.desired) throw rejectWith(this.host, 409, 'no desired network state yet: PUT /v1/network first');
    // The fake host never drifts: a reconcile finds nothing to do and, like the agent, keeps the last apply.
    return { ...this.report(this.network.desired.revision) };
  }

  async armSwitchover(id: string, input: HostNetworkState): Promise<ArmedSwitchoverReport> {
    this.record('armSwitchover', [id, input]);
    checkSwitchoverId(this.host, id);
    const state = await checkNetworkState(this.host, input);
    this.network.armed.set(id, state);
    return {
      id,
      host: this.host,
      armedAt: new Date().toISOString(),
      commands: [],
      announcements: [],
      batches: 0,
      primed: 0,
      durationMs: 0,
    };
  }

  async fireSwitchover(id: string): Promise<FiredSwitchoverReport> {
    this.record('fireSwitchover', [id]);
    checkSwitchoverId(this.host, id);
    const state = this.network.armed.get(id);
    if (!state) throw rejectWith(this.host, 404, `no armed switchover ${id} on ${this.host}`);
    this.network.armed.delete(id);
    this.network.fired.push({ id, state });
    const firedAt = new Date().toISOString();
    return { id, host: this.host, firedAt, durationMs: 0, ok: true, batches: [], announcements: [], announcedAtMs: null };
  }

  async disarmSwitchover(id: string): Promise<void> {
    this.record('disarmSwitchover', [id]);
    checkSwitchoverId(this.host, id);
    this.network.armed.delete(id);
  }

  private applied(revision: number): NetworkApplyReport {
    this.network.lastApply = this.report(revision);
    return { ...this.network.lastApply };
  }

  private report(revision: number): NetworkApplyReport {
    return { host: this.host, revision, appliedAt: new Date().toISOString(), durationMs: 0, drift: [], commands: [] };
  }

  private instancesPath(requested: string | undefined): string {
    const configured = this.options.instancesPath;
    const check =
      configured !== undefined
        ? checkInstancesPath(requested, configured)
        : checkAbsolutePath(requested ?? DEFAULT_INSTANCES_PATH, 'instancesPath');
    if (!check.ok) throw rejectWith(this.host, 400, check.reason);
    return check.path;
  }

  private markerPath(markerId: string, instancesPath: string | undefined): string {
    if (!isMarkerId(markerId)) throw rejectWith(this.host, 400, `"${String(markerId)}" is not a marker id (a UUID v4)`);
    return markerFilePath(this.instancesPath(instancesPath), markerId);
  }

  private record(method: Method, args: unknown[]): void {
    this.calls.push({ method, args });
    const failure = this.failures.get(method);
    if (failure) throw failure;
  }
}
