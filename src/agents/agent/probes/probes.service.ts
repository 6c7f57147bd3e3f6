import { randomUUID } from 'node:crypto';
import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException, type OnApplicationShutdown } from '@nestjs/common';
import type { ProbeInfo } from '../../protocol';
import { buildProbeBpf } from '../captures/tcpdump/capture-filter';
import { CaptureStartError, type CaptureHandle, type CaptureRepository } from '../captures/tcpdump/capture.repository';
import { PROCESS_RUNNER, type ProcessRunner, type RunningProcess } from '../../../common/process/process-runner';
import { AGENT_CONFIG, type AgentConfig } from '../agent.config';
import { CAPTURE_REPOSITORY, TCP_ECHO_PROBER } from '../agent.tokens';
import { PCAP_FILE_HEADER_BYTES, PCAP_RECORD_HEADER_BYTES } from '../captures/tcpdump/tcpdump-args';
import { fileBytes, removeFile, isSessionId, sessionFile, toCounters } from '../session-files';
import { buildPingArgs, parsePingSummary, PINGER } from './fping-args';
import type { StartProbeDto } from './probe.dto';
import type { TcpEchoProbe, TcpEchoProberFactory } from './tcp-echo.prober';

export const PROBE_DEFAULTS = { intervalMs: 10, maxDurationSec: 3600, snaplenBytes: 128 } as const;
/** Per interval: request and reply, plus a line, its echo and their ACKs for the TCP echo probe. */
const PACKETS_PER_INTERVAL = { icmp: 2, icmpAndTcpEcho: 6 } as const;

/** The capture budget that holds the whole probe at the worst-case record size. */
export function probeCaptureBytes(intervalMs: number, maxDurationSec: number, tcpEcho: boolean): number {
  const intervals = Math.ceil((maxDurationSec * 1000) / intervalMs);
  const perInterval = tcpEcho ? PACKETS_PER_INTERVAL.icmpAndTcpEcho : PACKETS_PER_INTERVAL.icmp;
  return PCAP_FILE_HEADER_BYTES + intervals * perInterval * (PCAP_RECORD_HEADER_BYTES + PROBE_DEFAULTS.snaplenBytes);
}
/** Replies still in flight when ping is stopped; the capture keeps running this long after it. */
const REPLY_DRAIN_MS = 100;
/** fping prints nothing when it starts well; a bad interface or route makes it exit within this. */
const PING_START_WAIT_MS = 300;

interface ProbeSession {
  info: ProbeInfo;
  file: string;
  ping: RunningProcess;
  capture: CaptureHandle;
  tcpEcho: TcpEchoProbe | undefined;
  timer: NodeJS.Timeout | undefined;
  stopping: Promise<void> | undefined;
}

@Injectable()
export class ProbesService implements OnApplicationShutdown {
  private readonly sessions = new Map<string, ProbeSession>();

  constructor(
    @Inject(AGENT_CONFIG) private readonly config: AgentConfig,
    @Inject(PROCESS_RUNNER) private readonly runner: ProcessRunner,
    @Inject(CAPTURE_REPOSITORY) private readonly captures: CaptureRepository,
    @Inject(TCP_ECHO_PROBER) private readonly tcpEchoProber: TcpEchoProberFactory,
  ) {}

  async start(dto: StartProbeDto): Promise<ProbeInfo> {
    const probeId = randomUUID();
    const intervalMs = dto.intervalMs ?? PROBE_DEFAULTS.intervalMs;
    const maxDurationSec = dto.maxDurationSec ?? PROBE_DEFAULTS.maxDurationSec;
    const pingArgs = buildPingArgs({
      target: dto.target,
      intervalMs,
      interface: dto.interface,
      payloadBytes: dto.payloadBytes,
      maxDurationSec,
    });
    const file = await sessionFile(this.config.dataDir, 'probes', probeId);
    // The capture starts first so the first request is in the pcap.
    let capture: CaptureHandle;
    try {
      capture = await this.captures.start({
        interface: dto.interface,
        file,
        bpf: buildProbeBpf({ target: dto.target, tcpEchoPort: dto.tcpEchoPort }),
        snaplenBytes: PROBE_DEFAULTS.snaplenBytes,
        nanosecond: true,
        maxSizeBytes: probeCaptureBytes(intervalMs, maxDurationSec, dto.tcpEchoPort !== undefined),
      });
    } catch (err) {
      await removeFile(file);
      if (err instanceof CaptureStartError)
        throw new BadRequestException(`probe capture on ${dto.interface} did not start: ${err.message}`);
      throw err;
    }
    const ping = this.runner.start(PINGER, pingArgs);
    const failure = await this.pingFailure(ping);
    if (failure !== undefined) {
      await capture.stop();
      await removeFile(file);
      throw new BadRequestException(`${PINGER} ${dto.target} did not start: ${failure}`);
    }
    const tcpEcho =
      dto.tcpEchoPort === undefined ? undefined : this.tcpEchoProber({ target: dto.target, port: dto.tcpEchoPort, intervalMs });
    const info: ProbeInfo = {
      probeId,
      target: dto.target,
      interface: dto.interface,
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
    const session: ProbeSession = { info, file, ping, capture, tcpEcho, timer: undefined, stopping: undefined };
    session.timer = setTimeout(() => void this.finish(session, 'timed-out'), maxDurationSec * 1000);
    session.timer.unref();
    this.sessions.set(probeId, session);
    return { ...info };
  }

  async stop(probeId: string): Promise<ProbeInfo> {
    const session = this.session(probeId);
    await this.finish(session, 'stopped');
    return { ...session.info };
  }

  get(probeId: string): ProbeInfo {
    return { ...this.session(probeId).info };
  }

  async file(probeId: string): Promise<string> {
    const session = this.session(probeId);
    if (session.stopping === undefined) throw new ConflictException(`probe ${probeId} is still running; stop it first`);
    await session.stopping;
    return session.file;
  }

  async remove(probeId: string): Promise<void> {
    const session = this.session(probeId);
    await this.finish(session, 'stopped');
    await removeFile(session.file);
    this.sessions.delete(probeId);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => this.finish(s, 'stopped')));
  }

  /** Stops ping, the TCP echo client and then the capture, once, whoever asks first. */
  private finish(session: ProbeSession, state: 'stopped' | 'timed-out'): Promise<void> {
    session.stopping ??= (async () => {
      clearTimeout(session.timer);
      session.ping.kill('SIGINT');
      const [pingResult, tcpEcho] = await Promise.all([session.ping.exited, session.tcpEcho?.stop()]);
      await new Promise((r) => setTimeout(r, REPLY_DRAIN_MS));
      const capture = await session.capture.stop();
      const { info } = session;
      info.ping = parsePingSummary(pingResult.stderr);
      info.tcpEcho = tcpEcho ?? null;
      info.capture = toCounters(capture.stats);
      info.fileBytes = await fileBytes(session.file);
      info.endedAt = new Date().toISOString();
      info.state = capture.endedBy === 'stopped' ? state : capture.endedBy;
      const problems = [capture.message, info.ping === null ? `${PINGER}: ${pingResult.stderr.trim().slice(-300) || 'no summary'}` : ''];
      info.message = problems.filter(Boolean).join('; ') || null;
    })();
    return session.stopping;
  }

  /** fping fails fast on a bad interface or route; still running after a moment means it is sending. */
  private async pingFailure(ping: RunningProcess): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const running = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), PING_START_WAIT_MS)));
    const failed = ping.exited.then((result) => result.stderr.trim() || `exit code ${String(result.exitCode)}`);
    try {
      return await Promise.race([running, failed]);
    } finally {
      clearTimeout(timer);
    }
  }

  private session(probeId: string): ProbeSession {
    if (!isSessionId(probeId)) throw new BadRequestException(`"${String(probeId)}" is not a probe id`);
    const session = this.sessions.get(probeId);
    if (!session) throw new NotFoundException(`probe ${probeId} does not exist`);
    return session;
  }
}
