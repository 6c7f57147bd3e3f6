import { Socket } from 'node:net';
import type { TcpEchoSummary } from '../../protocol';

// A TCP echo client: one small line every interval, read back from an echo
// service (port 7). One connection that keeps echoing shows that established
// TCP sessions survive the switchover; a gap shows how long they stalled.

export interface TcpEchoOptions {
  target: string;
  port: number;
  intervalMs: number;
}

export interface TcpEchoProbe {
  stop(): Promise<TcpEchoSummary>;
}

export type TcpEchoProberFactory = (options: TcpEchoOptions) => TcpEchoProbe;

const MAX_ERRORS_KEPT = 20;
/** Stop queueing lines while the connection is stalled; they would all arrive at once anyway. */
const MAX_QUEUED_BYTES = 64 * 1024;
const RECONNECT_MIN_MS = 100;

export class NodeTcpEchoProbe implements TcpEchoProbe {
  private socket: Socket | undefined;
  private sendTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private seq = 0;
  private sent = 0;
  private echoed = 0;
  private connections = 0;
  private readonly errors: string[] = [];
  private lastEchoAtMs: number | undefined;
  private maxEchoGapMs: number | null = null;

  constructor(private readonly options: TcpEchoOptions) {
    this.connect();
  }

  async stop(): Promise<TcpEchoSummary> {
    this.stopped = true;
    clearInterval(this.sendTimer);
    clearTimeout(this.reconnectTimer);
    // Give the last line one interval to come back.
    await new Promise((r) => setTimeout(r, Math.min(this.options.intervalMs * 2, 500)));
    this.socket?.destroy();
    return {
      port: this.options.port,
      sent: this.sent,
      echoed: this.echoed,
      connections: this.connections,
      connectionErrors: [...this.errors],
      maxEchoGapMs: this.maxEchoGapMs,
    };
  }

  private connect(): void {
    const socket = new Socket();
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => {
      this.connections++;
      this.lastEchoAtMs ??= Date.now();
      this.sendTimer = setInterval(() => this.send(socket), this.options.intervalMs);
    });
    socket.on('data', (chunk: Buffer) => this.received(chunk));
    socket.on('error', (err) => this.noteError(err.message));
    socket.on('close', () => {
      clearInterval(this.sendTimer);
      if (this.stopped) return;
      this.noteError('connection closed');
      this.reconnectTimer = setTimeout(() => this.connect(), Math.max(this.options.intervalMs, RECONNECT_MIN_MS));
    });
    socket.connect(this.options.port, this.options.target);
  }

  private send(socket: Socket): void {
    if (socket.writableLength > MAX_QUEUED_BYTES) return;
    socket.write(`livemig ${this.seq++}\n`);
    this.sent++;
  }

  private received(chunk: Buffer): void {
    let lines = 0;
    for (const byte of chunk) if (byte === 0x0a) lines++;
    if (lines === 0) return;
    const now = Date.now();
    if (this.lastEchoAtMs !== undefined) {
      const gap = now - this.lastEchoAtMs;
      this.maxEchoGapMs = Math.max(this.maxEchoGapMs ?? 0, gap);
    }
    this.lastEchoAtMs = now;
    this.echoed += lines;
  }

  private noteError(message: string): void {
    if (this.errors.length < MAX_ERRORS_KEPT) this.errors.push(`${new Date().toISOString()} ${message}`);
  }
}

export const nodeTcpEchoProber: TcpEchoProberFactory = (options) => new NodeTcpEchoProbe(options);
