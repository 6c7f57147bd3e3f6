// The guest's own side of the switchover: a capture on the destination's tap device shows when each probe
// reached the guest's NIC and when the guest answered it, so the first reply's delay after the resume splits
// into delivery to the tap (the network) and the guest's turnaround (TCG re-translating a cold guest).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { PacketKind, emptyPacket } from '../src/analysis/core/decoded-packet';
import { PacketDecoder } from '../src/analysis/decode/packet-decoder';
import { AnyCaptureReader } from '../src/analysis/format/capture-reader';
import type { RawPacketSink } from '../src/analysis/format/raw-packet-sink';
import { execIn } from './exec';
import type { LabHost } from './topology';

export interface TapEcho {
  ts: number;
  kind: 'request' | 'reply';
  src: string;
  dst: string;
  id: number;
  seq: number;
}

/** libvirt gives a tap the guest's MAC with the first byte fe. */
export function tapMacOf(guestMac: string): string {
  return `fe${guestMac.toLowerCase().slice(2)}`;
}

export async function findTap(host: LabHost, guestMac: string): Promise<string | null> {
  const { stdout } = await execIn(host.netns, ['ip', '-o', 'link', 'show'], { allowFailure: true });
  const want = tapMacOf(guestMac);
  for (const line of stdout.split('\n')) {
    const m = /^\d+: ([^:@\s]+)[@:].*link\/ether ([0-9a-f:]{17})/.exec(line);
    if (m && m[2] === want) return m[1] ?? null;
  }
  return null;
}

export interface TapCapture {
  /** Stops tcpdump; resolves with the tap's name, or null when it never appeared. */
  stop(): Promise<string | null>;
}

/** Waits for the destination's tap (libvirt makes it when the incoming QEMU starts) and captures ICMP on it. */
export function captureTap(host: LabHost, guestMac: string, file: string): TapCapture {
  let stopped = false;
  const running: { child: ChildProcess | null } = { child: null };
  let tap: string | null = null;
  const started = (async () => {
    while (!stopped && tap === null) {
      tap = await findTap(host, guestMac);
      if (tap === null) await sleep(20);
    }
    if (stopped || tap === null) return;
    const argv = ['netns', 'exec', host.netns, 'tcpdump', '-i', tap, '-n', '-U', '--immediate-mode', '--time-stamp-precision=nano'];
    running.child = spawn('ip', [...argv, '-w', file, 'icmp'], { stdio: 'ignore' });
  })();
  return {
    async stop() {
      stopped = true;
      await started;
      const child = running.child;
      if (child !== null && child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGINT');
        await exited;
      }
      return tap;
    },
  };
}

/** The echo requests and replies of a pcap, with our own reader and decoder. */
export async function readTapEchoes(file: string): Promise<TapEcho[]> {
  const decoder = new PacketDecoder(new Uint8Array(65_536));
  const out: TapEcho[] = [];
  const record = emptyPacket();
  const sink: RawPacketSink = {
    onPacket(linkType, frame, at, captured, wire, tsSec, tsNs) {
      decoder.decode(linkType, frame, at, captured, wire, tsSec, tsNs, record);
      if (record.kind !== PacketKind.EchoRequest && record.kind !== PacketKind.EchoReply) return;
      out.push({
        ts: record.tsSec + record.tsNs / 1e9,
        kind: record.kind === PacketKind.EchoRequest ? 'request' : 'reply',
        src: record.src,
        dst: record.dst,
        id: record.echoId,
        seq: record.echoSeq,
      });
    },
  };
  const reader = new AnyCaptureReader(file, sink);
  reader.push(await readFile(file));
  reader.end();
  return out;
}

export interface GuestTurnaround {
  /** The first request the guest answered after the resume: when it reached the tap, from the pause's end. */
  requestAtTapFromPauseEndMs: number;
  /** Its reply leaving the guest's NIC, from the pause's end. */
  replyAtTapFromPauseEndMs: number;
  /** Reply − max(request, pause end): how long the resumed guest took to answer. */
  firstTurnaroundMs: number;
  /** Median turnaround of the replies from 1 s after the resume on: the guest warm again. */
  steadyTurnaroundMs: number | null;
}

/** Pure: pairs requests to the guest with its replies on the tap and reads the first answer after the pause. */
export function guestTurnaround(echoes: readonly TapEcho[], guestIp: string, pauseEndTs: number): GuestTurnaround | null {
  const requests = new Map<string, number>();
  const pairs: { req: number; rep: number }[] = [];
  for (const e of echoes) {
    const key = `${e.kind === 'request' ? e.src : e.dst}/${e.id}/${e.seq}`;
    if (e.kind === 'request' && e.dst === guestIp) requests.set(key, e.ts);
    else if (e.kind === 'reply' && e.src === guestIp) {
      const req = requests.get(key);
      if (req !== undefined) pairs.push({ req, rep: e.ts });
    }
  }
  const after = pairs.filter((p) => p.rep >= pauseEndTs).sort((a, b) => a.rep - b.rep);
  const first = after[0];
  if (first === undefined) return null;
  const steady = after
    .filter((p) => p.req >= pauseEndTs + 1)
    .map((p) => (p.rep - p.req) * 1000)
    .sort((a, b) => a - b);
  return {
    requestAtTapFromPauseEndMs: (first.req - pauseEndTs) * 1000,
    replyAtTapFromPauseEndMs: (first.rep - pauseEndTs) * 1000,
    firstTurnaroundMs: (first.rep - Math.max(first.req, pauseEndTs)) * 1000,
    steadyTurnaroundMs: steady.length === 0 ? null : (steady[Math.floor(steady.length / 2)] ?? null),
  };
}
