import { randomUUID } from 'node:crypto';
import type { CaptureCounters, CaptureInfo, ProbeInfo } from '../../../src/agents/protocol';
import { checkSessionId, rejectWith } from './fake-agent-checks';

// The fake agent's captures and probes: they run until stopped, capture nothing, and hand over an
// empty pcap once stopped, with the same states, errors and reasons as the agent's sessions.

type Kind = 'capture' | 'probe';
type Info<K extends Kind> = K extends 'capture' ? CaptureInfo : ProbeInfo;

/** An empty pcap file header (no packets) with the nanosecond or the microsecond magic. */
const emptyPcap = (nanosecond: boolean): Buffer =>
  Buffer.from((nanosecond ? '4d3cb2a1' : 'd4c3b2a1') + '02000400' + '00000000' + '00000000' + '80000000' + '01000000', 'hex');
const NO_PACKETS: CaptureCounters = { packetsCaptured: 0, packetsReceivedByFilter: 0, packetsDroppedByKernel: 0 };

interface Session<K extends Kind> {
  info: Info<K>;
  pcap: Buffer;
}

export class FakeSessions {
  private readonly captures = new Map<string, Session<'capture'>>();
  private readonly probes = new Map<string, Session<'probe'>>();
  private readonly echoPorts = new Map<string, number>();

  constructor(private readonly host: string) {}

  startCapture(interfaceName: string, bpf: string | null, nanosecond: boolean): CaptureInfo {
    const info: CaptureInfo = {
      captureId: randomUUID(),
      interface: interfaceName,
      bpf,
      state: 'running',
      startedAt: new Date().toISOString(),
      endedAt: null,
      fileBytes: null,
      counters: null,
      message: null,
    };
    this.captures.set(info.captureId, { info, pcap: emptyPcap(nanosecond) });
    return { ...info };
  }

  startProbe(target: string, interfaceName: string, intervalMs: number, tcpEchoPort: number | undefined): ProbeInfo {
    const info: ProbeInfo = {
      probeId: randomUUID(),
      target,
      interface: interfaceName,
      intervalMs,
      state: 'running',
      startedAt: new Date().toISOString(),
      endedAt: null,
      ping: null,
      capture: null,
      tcpEcho: null,
      fileBytes: null,
      message: null,
    };
    this.probes.set(info.probeId, { info, pcap: emptyPcap(true) });
    // The stop reports the echo client on this port; the fake's never connects.
    if (tcpEchoPort !== undefined) this.echoPorts.set(info.probeId, tcpEchoPort);
    return { ...info };
  }

  get<K extends Kind>(kind: K, id: string): Info<K> {
    return { ...this.session(kind, id).info };
  }

  /** Stopping twice answers the first stop's result. */
  stop<K extends Kind>(kind: K, id: string): Info<K> {
    const session = this.session(kind, id);
    if (session.info.state !== 'running') return { ...session.info };
    const endedAt = new Date().toISOString();
    if (kind === 'capture') {
      Object.assign(session.info, { state: 'stopped', endedAt, fileBytes: session.pcap.length, counters: { ...NO_PACKETS } });
    } else {
      const port = this.echoPorts.get(id);
      Object.assign(session.info, {
        state: 'stopped',
        endedAt,
        ping: { transmitted: 0, received: 0, errors: 0, lossPct: 0 },
        capture: { ...NO_PACKETS },
        tcpEcho: port === undefined ? null : { port, sent: 0, echoed: 0, connections: 0, connectionErrors: [], maxEchoGapMs: null },
        fileBytes: session.pcap.length,
      });
    }
    return { ...session.info };
  }

  /** The pcap, once stopped (409 before, as the agent's tcpdump has not flushed it yet). */
  file(kind: Kind, id: string): Buffer {
    const session = this.session(kind, id);
    if (session.info.state === 'running') throw rejectWith(this.host, 409, `${kind} ${id} is still running; stop it first`);
    return session.pcap;
  }

  remove(kind: Kind, id: string): void {
    this.session(kind, id);
    (kind === 'capture' ? this.captures : this.probes).delete(id);
    this.echoPorts.delete(id);
  }

  private session<K extends Kind>(kind: K, id: string): Session<K> {
    checkSessionId(this.host, kind, id);
    const session = (kind === 'capture' ? this.captures : this.probes).get(id) as Session<K> | undefined;
    if (!session) throw rejectWith(this.host, 404, `${kind} ${id} does not exist`);
    return session;
  }
}
