// bench:guest-fault — how often a lab guest faults after switchover (a kernel crash, often in the virtio-net
// path, or "output.0:id N is not a head!": a dead NIC) under a 10 ms probe stream.
//
//   npm run bench:guest-fault -- [--variant lab,no-pti,...] [--migrations N] [--per-guest N]
//                                [--driver engine|native] [--events on|off] [--downtime-ms N] [--vcpus N]
//
// driver=engine (default) runs the built controller as its own process and migrates through its REST API,
// captures and probe included, as the engine lab test does; driver=native calls the libvirt binding the way
// the engine's copy() does (same flags, job stats every 200 ms, optionally a domain-event subscription) with
// its own fping + TCP echo stream. Each variant rewrites the lab's domain XML (see VARIANTS); several run one
// after another under one hold of the lab lock. A fault is a GUEST_CRASH_PATTERN line on a console or no
// reply to 5 pings 2 s after the migration; the guest is then replaced. Needs root.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import {
  acquireLabLock,
  checkGuestCrash,
  controllerEnv,
  destroyGuest,
  guestConsole,
  heartbeatCount,
  installGuestImage,
  instancesPath,
  labDir,
  labUp,
  ping,
  PROBER,
  topology,
  virsh,
} from '../lab';
import { projectRoot } from '../lab/paths';
import { guestDomainXml } from '../lab/domain-xml';
import { guestMac } from '../lab/topology';
import { ControllerApi, waitForMigration } from '../lab/cli/controller-api';
import { registerLabInventory, type LabInventory } from '../lab/cli/lab-inventory';
import { LibvirtConnection, type DomainEvent, type MigrateRequest } from '../src/migration/libvirt';

const GUEST_IP = '203.0.113.60';
const PROBE_INTERVAL_MS = 10;
const MONITOR_INTERVAL_MS = 200;
const SETTLE_MS = 2000;

/** Domain-XML rewrites under test; each takes the lab's own XML. */
const VARIANTS: Record<string, (xml: string) => string> = {
  lab: (xml) => xml,
  // The lab guest as it was before the fix: the control (about 60 % of engine migrations faulted).
  'no-pti': (xml) => xml.replace(' pti=on', '').replace(/ lm\.tick_ms=\d+/, ''),
  // Page-table isolation alone (1 fault in 27 engine migrations).
  'pti-only': (xml) => xml.replace(/ lm\.tick_ms=\d+/, ''),
  'event-idx-off': (xml) => xml.replace("<model type='virtio'/>", "<model type='virtio'/>\n      <driver name='qemu' event_idx='off'/>"),
  // QEMU takes the first -accel that works, and libvirt's "-accel tcg" comes first: a wrapper rewrites it.
  'tcg-single': (xml) => xml.replace('<emulator>/usr/bin/qemu-system-x86_64</emulator>', `<emulator>${tcgSingleWrapper()}</emulator>`),
};

/** A QEMU wrapper in shared storage (every host's daemon sees the same path) that asks for single-threaded TCG. */
function tcgSingleWrapper(): string {
  const path = join(instancesPath(), '_tools', 'qemu-tcg-single');
  mkdirSync(dirname(path), { recursive: true });
  const script = [
    '#!/bin/sh',
    'prev=',
    'for a do',
    '  shift',
    '  if [ "$prev" = -accel ] && [ "$a" = tcg ]; then set -- "$@" tcg,thread=single; else set -- "$@" "$a"; fi',
    '  prev=$a',
    'done',
    'exec /usr/bin/qemu-system-x86_64 "$@"',
    '',
  ].join('\n');
  writeFileSync(path, script, { mode: 0o755 });
  return path;
}

interface Fault {
  migration: number;
  direction: string;
  kind: 'console' | 'no-reply';
  line: string;
}

async function bootVariant(name: string, host: string, variant: (xml: string) => string, vcpus: number): Promise<void> {
  const { kernelPath, initrdPath } = await installGuestImage();
  const xml = variant(
    guestDomainXml({
      name,
      uuid: crypto.randomUUID(),
      memoryMiB: 256,
      vcpus,
      ip: GUEST_IP,
      mac: guestMac(GUEST_IP),
      kernelPath,
      initrdPath,
      dirtyMiB: 16,
      dirtyPauseMs: 100,
    }),
  );
  const dir = join(labDir(), 'domains');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.xml`);
  writeFileSync(path, xml);
  await virsh(host, ['define', path]);
  await virsh(host, ['start', name]);
  const deadline = Date.now() + 90_000;
  while ((await ping(PROBER.netns, GUEST_IP, { count: 1, timeoutS: 1 })).received === 0) {
    if (Date.now() > deadline) throw new Error(`guest ${name} did not answer within 90 s`);
  }
}

/** fping every 10 ms plus a TCP echo line every 10 ms, from the prober's tenant interface, as the engine's probe does. */
function startProbes(): ChildProcess[] {
  const echo = `const net=require('net');const go=()=>{const s=net.connect(7,'${GUEST_IP}');let t;s.on('connect',()=>{t=setInterval(()=>s.write('x\\n'),${PROBE_INTERVAL_MS})});s.on('data',()=>{});s.on('error',()=>{});s.on('close',()=>{clearInterval(t);setTimeout(go,200)})};go();`;
  const spawnIn = (argv: string[]) => spawn('ip', ['netns', 'exec', PROBER.netns, ...argv], { stdio: 'ignore' });
  return [
    spawnIn([
      'fping',
      '-l',
      '-q',
      '-i',
      String(PROBE_INTERVAL_MS),
      '-p',
      String(PROBE_INTERVAL_MS),
      '-I',
      PROBER.tenantInterface,
      GUEST_IP,
    ]),
    spawnIn([process.execPath, '-e', echo]),
  ];
}

/** One migration as the engine's copy() makes it; `events` keeps a domain-event subscription open on the source meanwhile. */
async function migrateOnce(name: string, from: string, to: string, events: boolean, maxDowntimeMs: number): Promise<{ ms: number }> {
  const src = topology().hosts.find((h) => h.name === from)!;
  const dst = topology().hosts.find((h) => h.name === to)!;
  const conn = await LibvirtConnection.open(src.libvirtUri);
  try {
    const domain = await conn.lookupDomain(name);
    const unsubscribe = events ? await conn.onDomainEvent((_event: DomainEvent) => undefined) : null;
    const request: MigrateRequest = {
      destinationUri: dst.libvirtUri,
      flags: ['LIVE', 'PEER2PEER', 'PERSIST_DEST', 'UNDEFINE_SOURCE', 'ABORT_ON_ERROR'],
      params: { migrateUri: `tcp://${dst.mgmtIp}`, maxDowntimeMs },
    };
    const started = Date.now();
    let settled = false;
    const migrating = domain.migrate(request).finally(() => {
      settled = true;
    });
    try {
      while (!settled) {
        await Promise.race([sleep(MONITOR_INTERVAL_MS), migrating.catch(() => undefined)]);
        if (!settled) await domain.jobStats().catch(() => null);
      }
      await migrating;
    } finally {
      if (unsubscribe) await unsubscribe().catch(() => undefined);
    }
    return { ms: Date.now() - started };
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/** The controller as its own process (as the engine lab test runs it), from `main` (a build's dist/src/main.js). */
async function startController(main: string): Promise<{ api: ControllerApi; stop: () => void }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'livemig-guest-fault-'));
  const token = 'guest-fault-bench';
  const port = 18_900 + (process.pid % 90);
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      ...controllerEnv(),
      PORT: String(port),
      DATABASE_URL: `sqlite:${join(dataDir, 'livemig.sqlite')}`,
      LIVEMIG_DATA_DIR: dataDir,
      LIVEMIG_TOKENS: `${token}:operator`,
      LIVEMIG_CAPTURE_TAIL_MS: '1000',
      LIVEMIG_MONITOR_INTERVAL_MS: String(MONITOR_INTERVAL_MS),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(join(dataDir, 'controller.log'));
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const api = new ControllerApi(`http://127.0.0.1:${port}`, token);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`controller exited (${child.exitCode}); see ${dataDir}/controller.log`);
    if (
      await fetch(`${api.baseUrl}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error('controller not healthy in 60 s');
    await sleep(200);
  }
  process.stdout.write(`controller ${main} on ${api.baseUrl}, data ${dataDir}\n`);
  return { api, stop: () => child.kill('SIGTERM') };
}

async function migrateByEngine(api: ControllerApi, inventory: LabInventory, instanceId: string, to: string): Promise<{ ms: number }> {
  const started = Date.now();
  const res = await api.call<{ id: string }>('POST', '/migrations', { instanceId, destinationHostId: inventory.hostIds[to] });
  if (res.status !== 202) throw new Error(`POST /migrations -> ${res.status} ${JSON.stringify(res.body)}`);
  const done = await waitForMigration(api, res.body.id);
  if (done.state !== 'completed') process.stdout.write(`  migration ${done.id} ${done.state}: ${done.failureReason}\n`);
  return { ms: Date.now() - started };
}

interface RunOptions {
  variantName: string;
  total: number;
  perGuest: number;
  events: boolean;
  vcpus: number;
  downtimeMs: number;
  engine: { api: ControllerApi; inventory: LabInventory } | undefined;
  stopping: () => boolean;
}

/** Migrates one guest after another A→B→A… `total` times, replacing the guest after a fault and every `perGuest` migrations. */
async function runVariant(o: RunOptions): Promise<string> {
  const variant = VARIANTS[o.variantName];
  const label = o.engine
    ? `variant=${o.variantName} driver=engine vcpus=${o.vcpus}`
    : `variant=${o.variantName} driver=native events=${o.events ? 'on' : 'off'} downtime=${o.downtimeMs}ms vcpus=${o.vcpus}`;
  const probes: ChildProcess[] = [];
  let guest = 0;
  let name = '';
  let instanceId = '';
  let onGuest = 0;
  const faults: Fault[] = [];
  const durations: number[] = [];
  const boot = async () => {
    if (name) await destroyGuest(name);
    // The controller counts registered instances against host capacity.
    if (o.engine && instanceId) await o.engine.api.ok('DELETE', `/instances/${instanceId}`);
    guest++;
    onGuest = 0;
    name = `gf-${process.pid}-${o.variantName}-${guest}`;
    await bootVariant(name, 'host-a', variant, o.vcpus);
    if (o.engine) {
      const uuid = (await virsh('host-a', ['domuuid', name])).stdout.trim();
      const body = {
        name,
        domainName: name,
        domainUuid: uuid,
        flavorId: o.engine.inventory.flavorIds['lab.tiny'],
        hostId: o.engine.inventory.hostIds['host-a'],
        ipAddress: GUEST_IP,
      };
      instanceId = (await o.engine.api.ok<{ id: string }>('POST', '/instances', body)).id;
    }
  };
  try {
    await boot();
    // The engine probes during each migration itself; the native driver needs a stream of its own.
    if (!o.engine) probes.push(...startProbes());
    await sleep(1000);
    let at = 'host-a';
    for (let i = 1; i <= o.total && !o.stopping(); i++) {
      if (o.perGuest > 0 && onGuest >= o.perGuest) {
        await boot();
        at = 'host-a';
      }
      const to = at === 'host-a' ? 'host-b' : 'host-a';
      const beats = heartbeatCount(name);
      const { ms } = o.engine
        ? await migrateByEngine(o.engine.api, o.engine.inventory, instanceId, to)
        : await migrateOnce(name, at, to, o.events, o.downtimeMs);
      durations.push(ms);
      onGuest++;
      at = to;
      await sleep(SETTLE_MS);
      const crash = checkGuestCrash(name);
      const replies = (await ping(PROBER.netns, GUEST_IP, { count: 5, intervalMs: 100 })).received;
      const fault: Fault | undefined = crash.crashed
        ? { migration: i, direction: `→${to}`, kind: 'console', line: crash.line ?? '' }
        : replies === 0
          ? {
              migration: i,
              direction: `→${to}`,
              kind: 'no-reply',
              line: `no reply to 5 pings; heartbeats ${beats} -> ${heartbeatCount(name)}`,
            }
          : undefined;
      process.stdout.write(`${label} #${i} ${at} ${ms} ms ${fault ? `FAULT ${fault.kind}: ${fault.line}` : 'ok'}\n`);
      if (fault) {
        faults.push(fault);
        const text = guestConsole(name)[crash.host ?? to] ?? '';
        writeFileSync(join(labDir(), `${name}-fault.log`), text.slice(-6000));
        await boot();
        at = 'host-a';
      }
    }
  } finally {
    for (const p of probes) p.kill('SIGTERM');
    if (name) await destroyGuest(name).catch(() => undefined);
    if (o.engine && instanceId) await o.engine.api.call('DELETE', `/instances/${instanceId}`).catch(() => undefined);
  }
  const sorted = [...durations].sort((a, b) => a - b);
  const lines = [
    `RESULT ${label}: ${faults.length} faults in ${durations.length} migrations, ${guest} guests (${faults.filter((f) => f.kind === 'console').length} on the console, ${faults.filter((f) => f.kind === 'no-reply').length} silent); migration ms median ${sorted[Math.floor(sorted.length / 2)] ?? '-'}`,
    ...faults.map((f) => `  #${f.migration} ${f.direction} ${f.kind}: ${f.line}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      /** One variant or several, comma-separated, run one after another under one hold of the lab. */
      variant: { type: 'string', default: 'lab' },
      migrations: { type: 'string', default: '100' },
      /** A new guest every N migrations (0: keep it until it faults); the engine lab test uses a new one per round trip. */
      'per-guest': { type: 'string', default: '0' },
      events: { type: 'string', default: 'off' },
      vcpus: { type: 'string', default: '1' },
      /** native: the binding, as the engine calls it; engine: the controller over REST, captures and all. */
      driver: { type: 'string', default: 'engine' },
      /** Native driver only; the engine's default policy starts at 50 ms (500 ms in ten steps). */
      'downtime-ms': { type: 'string', default: '50' },
      controller: { type: 'string', default: join(projectRoot(), 'dist', 'src', 'main.js') },
    },
  });
  const names = values.variant.split(',');
  for (const n of names) if (!VARIANTS[n]) throw new Error(`unknown variant ${n}; one of ${Object.keys(VARIANTS).join(', ')}`);

  // TERM/INT end the run after the current migration, so the guest, the controller and the lock are cleaned up.
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => (stopping = true));
  const release = await acquireLabLock();
  let controller: { api: ControllerApi; stop: () => void } | undefined;
  const results: string[] = [];
  try {
    await labUp({ hosts: 2 });
    let engine: RunOptions['engine'];
    if (values.driver === 'engine') {
      controller = await startController(values.controller);
      engine = { api: controller.api, inventory: await registerLabInventory(controller.api) };
    }
    for (const variantName of names) {
      if (stopping) break;
      results.push(
        await runVariant({
          variantName,
          total: Number(values.migrations),
          perGuest: Number(values['per-guest']),
          events: values.events === 'on',
          vcpus: Number(values.vcpus),
          downtimeMs: Number(values['downtime-ms']),
          engine,
          stopping: () => stopping,
        }),
      );
    }
  } finally {
    controller?.stop();
    release();
  }
  process.stdout.write(`\n${results.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
