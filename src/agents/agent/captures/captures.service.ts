import { randomUUID } from 'node:crypto';
import {
  BadRequestException,
  ConflictException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  NotFoundException,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { CaptureInfo, SessionState } from '../../protocol';
import { buildMigrationBpf, InvalidFilterError } from './tcpdump/capture-filter';
import { CaptureStartError, type CaptureHandle, type CaptureRepository, type CaptureResult } from './tcpdump/capture.repository';
import { AGENT_CONFIG, DEFAULT_CAPTURE_LIMITS, type AgentConfig } from '../agent.config';
import { CAPTURE_REPOSITORY } from '../agent.tokens';
import { fileBytes, MIB, removeFile, isSessionId, sessionFile, toCounters } from '../session-files';
import type { StartCaptureDto } from './capture.dto';

export const CAPTURE_DEFAULTS = { snaplenBytes: 128, maxSizeMiB: 256, nanosecond: true, maxDurationSec: 3600 } as const;

interface CaptureSession {
  info: CaptureInfo;
  file: string;
  handle: CaptureHandle;
  timer: NodeJS.Timeout;
  /** Resolves once the end of tcpdump has been recorded in `info`. */
  finalized: Promise<void>;
  maxSizeBytes: number;
}

export function stateAfter(result: CaptureResult, timedOut: boolean): SessionState {
  if (result.endedBy === 'failed') return 'failed';
  if (result.endedBy === 'packet-limit') return 'packet-limit';
  return timedOut ? 'timed-out' : 'stopped';
}

@Injectable()
export class CapturesService implements OnApplicationShutdown {
  private readonly sessions = new Map<string, CaptureSession>();

  constructor(
    @Inject(AGENT_CONFIG) private readonly config: AgentConfig,
    @Inject(CAPTURE_REPOSITORY) private readonly captures: CaptureRepository,
  ) {}

  async start(dto: StartCaptureDto): Promise<CaptureInfo> {
    this.checkLimits((dto.maxSizeMiB ?? CAPTURE_DEFAULTS.maxSizeMiB) * MIB);
    const captureId = randomUUID();
    let bpf: string | undefined;
    try {
      bpf = dto.filter ? buildMigrationBpf({ migrationPorts: dto.filter.migrationPorts, rpcPorts: dto.filter.rpcPorts ?? [] }) : undefined;
    } catch (err) {
      if (err instanceof InvalidFilterError) throw new BadRequestException(err.message);
      throw err;
    }
    const file = await sessionFile(this.config.dataDir, 'captures', captureId);
    let handle: CaptureHandle;
    try {
      handle = await this.captures.start({
        interface: dto.interface,
        file,
        bpf,
        snaplenBytes: dto.snaplenBytes ?? CAPTURE_DEFAULTS.snaplenBytes,
        nanosecond: dto.nanosecond ?? CAPTURE_DEFAULTS.nanosecond,
        maxSizeBytes: (dto.maxSizeMiB ?? CAPTURE_DEFAULTS.maxSizeMiB) * MIB,
      });
    } catch (err) {
      await removeFile(file);
      if (err instanceof CaptureStartError) throw new BadRequestException(`capture on ${dto.interface} did not start: ${err.message}`);
      throw err;
    }
    const info: CaptureInfo = {
      captureId,
      interface: dto.interface,
      bpf: bpf ?? null,
      state: 'running',
      startedAt: new Date().toISOString(),
      endedAt: null,
      fileBytes: null,
      counters: null,
      message: null,
    };
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        void handle.stop();
      },
      (dto.maxDurationSec ?? CAPTURE_DEFAULTS.maxDurationSec) * 1000,
    );
    timer.unref();
    const finalized = handle.ended.then(async (result) => {
      clearTimeout(timer);
      info.state = stateAfter(result, timedOut);
      info.endedAt = new Date().toISOString();
      info.counters = toCounters(result.stats);
      info.message = result.message || null;
      info.fileBytes = await fileBytes(file);
    });
    this.sessions.set(captureId, {
      info,
      file,
      handle,
      timer,
      finalized,
      maxSizeBytes: (dto.maxSizeMiB ?? CAPTURE_DEFAULTS.maxSizeMiB) * MIB,
    });
    return { ...info };
  }

  async stop(captureId: string): Promise<CaptureInfo> {
    const session = this.session(captureId);
    await session.handle.stop();
    await session.finalized;
    return { ...session.info };
  }

  get(captureId: string): CaptureInfo {
    return { ...this.session(captureId).info };
  }

  /** The pcap, once tcpdump has flushed and exited. */
  async file(captureId: string): Promise<string> {
    const session = this.session(captureId);
    if (session.handle.isRunning()) throw new ConflictException(`capture ${captureId} is still running; stop it first`);
    await session.finalized;
    return session.file;
  }

  async remove(captureId: string): Promise<void> {
    const session = this.session(captureId);
    clearTimeout(session.timer);
    await session.handle.stop();
    await removeFile(session.file);
    this.sessions.delete(captureId);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.handle.stop()));
  }

  // A token holder may not fill the host's disk or run tcpdump without end: running captures count with the
  // size they may still reach, finished ones with their file, until deleted.
  private checkLimits(requestedBytes: number): void {
    const limits = { ...DEFAULT_CAPTURE_LIMITS, ...this.config.captureLimits };
    const sessions = [...this.sessions.values()];
    const running = sessions.filter((s) => s.info.state === 'running');
    if (running.length >= limits.maxConcurrent) {
      throw new HttpException(
        {
          message: `${running.length} captures are running on this host, the limit is ${limits.maxConcurrent}; stop one first`,
          details: null,
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    const heldBytes = sessions.reduce((sum, s) => sum + (s.info.state === 'running' ? s.maxSizeBytes : (s.info.fileBytes ?? 0)), 0);
    if (heldBytes + requestedBytes > limits.maxBytes) {
      throw new HttpException(
        {
          message: `captures on this host hold or may reach ${heldBytes} bytes; ${requestedBytes} more would pass the limit of ${limits.maxBytes} bytes; delete finished captures or ask for less (maxSizeMiB)`,
          details: null,
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
  }

  private session(captureId: string): CaptureSession {
    if (!isSessionId(captureId)) throw new BadRequestException(`"${String(captureId)}" is not a capture id`);
    const session = this.sessions.get(captureId);
    if (!session) throw new NotFoundException(`capture ${captureId} does not exist`);
    return session;
  }
}
