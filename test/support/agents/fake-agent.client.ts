import { randomBytes, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type {
  AgentHealth,
  AgentNetworkStatus,
  CaptureInfo,
  HostNetworkState,
  GuestMemoryInfo,
  MigrationLinkInfo,
  NetworkApplyReport,
  ProbeInfo,
  StartCaptureRequest,
  StartProbeRequest,
  StorageMarker,
} from '../../../src/agents/protocol';
import { AgentError, type AgentClient } from '../../../src/agents/client/agent.client';

// An in-memory AgentClient for unit tests of controller services. Two fakes
// that share one `SharedStorage` see each other's markers, like hosts on NFS;
// fakes with separate storages do not.

export type SharedStorage = Map<string, string>;

/** One host's network side as the fake agent keeps it; share it between fakes of the same host. */
export interface FakeNetworkHost {
  desired: HostNetworkState | null;
  lastApply: NetworkApplyReport | null;
  /** Every state pushed, in order. */
  pushes: HostNetworkState[];
}

export const newFakeNetworkHost = (): FakeNetworkHost => ({ desired: null, lastApply: null, pushes: [] });

const DEFAULT_INSTANCES_PATH = '/var/lib/nova/instances';
/** A pcap header with the nanosecond magic and no packets. */
const EMPTY_NS_PCAP = Buffer.from('4d3cb2a1' + '02000400' + '00000000' + '00000000' + '80000000' + '01000000', 'hex');

type Method = keyof Omit<AgentClient, 'host'>;

export class FakeAgentClient implements AgentClient {
  readonly calls: Array<{ method: Method; args: unknown[] }> = [];
  readonly captures = new Map<string, CaptureInfo>();
  readonly probes = new Map<string, ProbeInfo>();
  private readonly failures = new Map<Method, AgentError>();

  constructor(
    readonly host: string,
    readonly storage: SharedStorage = new Map(),
    readonly network: FakeNetworkHost = newFakeNetworkHost(),
  ) {}

  /** Makes every later call of `method` fail like the agent would. */
  failOn(method: Method, reason: string, statusCode = 500): this {
    this.failures.set(method, new AgentError(this.host, statusCode === 0 ? 'unreachable' : 'rejected', reason, statusCode));
    return this;
  }

  async health(): Promise<AgentHealth> {
    this.record('health', []);
    return { host: this.host, version: 'fake', uptimeSec: 1, time: new Date().toISOString() };
  }

  /** What migrationLink() answers; a 10 Gbit link without a shaper unless a test says otherwise. */
  link: Omit<MigrationLinkInfo, 'interface'> = { speedBitsPerSec: 10e9, shapedRateBitsPerSec: null };

  async migrationLink(interfaceName: string): Promise<MigrationLinkInfo> {
    this.record('migrationLink', [interfaceName]);
    return { interface: interfaceName, ...this.link };
  }

  /** Guest RAM the fake host holds, by domain; all of it unless a test says otherwise. */
  readonly guestResidentBytes = new Map<string, number>();

  async guestMemory(domain: string, ramMiB: number): Promise<GuestMemoryInfo> {
    this.record('guestMemory', [domain, ramMiB]);
    const resident = this.guestResidentBytes.get(domain) ?? ramMiB * 1024 * 1024;
    return { domain, pid: 4242, ramMiB, residentBytes: resident, nonZeroBytes: resident, scannedPages: resident / 4096 };
  }

  async createMarker(instancesPath = DEFAULT_INSTANCES_PATH): Promise<StorageMarker> {
    this.record('createMarker', [instancesPath]);
    const markerId = randomUUID();
    const marker = { markerId, content: randomBytes(32).toString('hex'), path: markerPath(instancesPath, markerId) };
    this.storage.set(marker.path, marker.content);
    return marker;
  }

  async readMarker(markerId: string, instancesPath = DEFAULT_INSTANCES_PATH): Promise<StorageMarker> {
    this.record('readMarker', [markerId, instancesPath]);
    const path = markerPath(instancesPath, markerId);
    const content = this.storage.get(path);
    if (content === undefined) {
      throw new AgentError(this.host, 'rejected', `marker ${markerId} is not visible in this host's instances path`, 404);
    }
    return { markerId, content, path };
  }

  async deleteMarker(markerId: string, instancesPath = DEFAULT_INSTANCES_PATH): Promise<void> {
    this.record('deleteMarker', [markerId, instancesPath]);
    this.storage.delete(markerPath(instancesPath, markerId));
  }

  async startCapture(request: StartCaptureRequest): Promise<CaptureInfo> {
    this.record('startCapture', [request]);
    const info: CaptureInfo = {
      captureId: randomUUID(),
      interface: request.interface,
      bpf: null,
      state: 'running',
      startedAt: new Date().toISOString(),
      endedAt: null,
      fileBytes: null,
      counters: null,
      message: null,
    };
    this.captures.set(info.captureId, info);
    return { ...info };
  }

  async getCapture(captureId: string): Promise<CaptureInfo> {
    this.record('getCapture', [captureId]);
    return { ...this.capture(captureId) };
  }

  async stopCapture(captureId: string): Promise<CaptureInfo> {
    this.record('stopCapture', [captureId]);
    const info = this.capture(captureId);
    Object.assign(info, {
      state: 'stopped',
      endedAt: new Date().toISOString(),
      fileBytes: EMPTY_NS_PCAP.length,
      counters: { packetsCaptured: 0, packetsReceivedByFilter: 0, packetsDroppedByKernel: 0 },
    });
    return { ...info };
  }

  async downloadCapture(captureId: string, destinationFile: string): Promise<number> {
    this.record('downloadCapture', [captureId, destinationFile]);
    this.capture(captureId);
    await writeFile(destinationFile, EMPTY_NS_PCAP);
    return EMPTY_NS_PCAP.length;
  }

  async deleteCapture(captureId: string): Promise<void> {
    this.record('deleteCapture', [captureId]);
    this.captures.delete(captureId);
  }

  async startProbe(request: StartProbeRequest): Promise<ProbeInfo> {
    this.record('startProbe', [request]);
    const info: ProbeInfo = {
      probeId: randomUUID(),
      target: request.target,
      interface: request.interface,
      intervalMs: request.intervalMs ?? 10,
      state: 'running',
      startedAt: new Date().toISOString(),
      endedAt: null,
      ping: null,
      capture: null,
      tcpEcho: null,
      fileBytes: null,
      message: null,
    };
    this.probes.set(info.probeId, info);
    return { ...info };
  }

  async getProbe(probeId: string): Promise<ProbeInfo> {
    this.record('getProbe', [probeId]);
    return { ...this.probe(probeId) };
  }

  async stopProbe(probeId: string): Promise<ProbeInfo> {
    this.record('stopProbe', [probeId]);
    const info = this.probe(probeId);
    Object.assign(info, {
      state: 'stopped',
      endedAt: new Date().toISOString(),
      ping: { transmitted: 0, received: 0, errors: 0, lossPercent: 0 },
      capture: { packetsCaptured: 0, packetsReceivedByFilter: 0, packetsDroppedByKernel: 0 },
      fileBytes: EMPTY_NS_PCAP.length,
    });
    return { ...info };
  }

  async downloadProbe(probeId: string, destinationFile: string): Promise<number> {
    this.record('downloadProbe', [probeId, destinationFile]);
    this.probe(probeId);
    await writeFile(destinationFile, EMPTY_NS_PCAP);
    return EMPTY_NS_PCAP.length;
  }

  async deleteProbe(probeId: string): Promise<void> {
    this.record('deleteProbe', [probeId]);
    this.probes.delete(probeId);
  }

  async applyNetwork(state: HostNetworkState): Promise<NetworkApplyReport> {
    this.record('applyNetwork', [state]);
    const copy = structuredClone(state);
    this.network.pushes.push(copy);
    this.network.desired = copy;
    return this.applied(copy.revision);
  }

  async networkStatus(): Promise<AgentNetworkStatus> {
    this.record('networkStatus', []);
    return { desired: this.network.desired, lastApply: this.network.lastApply, driftLog: [] };
  }

  async reconcileNetwork(): Promise<NetworkApplyReport> {
    this.record('reconcileNetwork', []);
    if (!this.network.desired) throw new AgentError(this.host, 'rejected', 'no desired network state yet', 409);
    return this.applied(this.network.desired.revision);
  }

  private applied(revision: number): NetworkApplyReport {
    const report: NetworkApplyReport = {
      host: this.host,
      revision,
      appliedAt: new Date().toISOString(),
      durationMs: 0,
      drift: [],
      commands: [],
    };
    this.network.lastApply = report;
    return report;
  }

  private record(method: Method, args: unknown[]): void {
    this.calls.push({ method, args });
    const failure = this.failures.get(method);
    if (failure) throw failure;
  }

  private capture(captureId: string): CaptureInfo {
    const info = this.captures.get(captureId);
    if (!info) throw new AgentError(this.host, 'rejected', `capture ${captureId} does not exist`, 404);
    return info;
  }

  private probe(probeId: string): ProbeInfo {
    const info = this.probes.get(probeId);
    if (!info) throw new AgentError(this.host, 'rejected', `probe ${probeId} does not exist`, 404);
    return info;
  }
}

function markerPath(instancesPath: string, markerId: string): string {
  return `${instancesPath}/.livemig-markers/${markerId}.marker`;
}
