// One guest booted, migrated through the controller with capture and probes, its report read back, the
// guest checked for a crash and destroyed. The demo and bench:switchover measure migrations this way.
import { join } from 'node:path';
import { hostByName } from '../current-topology';
import { checkGuestCrash, destroyGuest } from '../guest';
import { captureTap, guestTurnaround, readTapEchoes, type GuestTurnaround } from '../guest-tap';
import { ControllerApi, waitForMigration, type MigrationRecord } from './controller-api';
import { bootInstance, type LabInventory } from './lab-inventory';
import type { LabNetwork } from './lab-network';

export interface MeasuredStream {
  stream: string;
  lost: Record<string, number>;
  mtrMethodMs: number | null;
  firstReplyAfterPauseMs: number | null;
}

export interface MeasuredReport {
  network: Record<string, number | null>;
  hypervisor: Record<string, number | null>;
  downtime: Record<string, number | null>;
  networkSteps: { ok: boolean }[];
  switchover: {
    pause: { startTs: number; endTs: number };
    streams: MeasuredStream[];
    steps: { step: string; host: string | null; phase: string | null; endFromPauseEndMs: number; ok: boolean }[];
  } | null;
  detail: { notes: string[] } | null;
}

export interface MeasuredMigration {
  name: string;
  record: MigrationRecord;
  report: MeasuredReport;
  /** The console line of a guest kernel crash after the migration, if any. */
  crash: string | null;
  /** From a capture on the destination's tap, when one was asked for (null: no tap seen or no answer). */
  guestTap?: GuestTurnaround | null;
}

export interface MigrationSpec {
  name: string;
  flavor: string;
  dirtyMiB: number;
  ip: string;
  from: string;
  to: string;
  policyName?: string;
  /** A directory for a capture on the destination's tap: the guest's own turnaround after the resume. */
  tapCaptureDir?: string;
}

export async function measureMigration(
  api: ControllerApi,
  inventory: LabInventory,
  net: LabNetwork,
  spec: MigrationSpec,
  log: (line: string) => void,
): Promise<MeasuredMigration> {
  const vm = await bootInstance(api, inventory, {
    name: spec.name,
    host: spec.from,
    ip: spec.ip,
    flavor: spec.flavor,
    dirtyMiB: spec.dirtyMiB,
    dirtyPauseMs: 100,
    port: { subnetId: net.subnetId, externalNetworkId: net.externalNetworkId },
  });
  log(`booted ${spec.name} (${spec.flavor}) on ${spec.from} in ${(vm.bootMs / 1000).toFixed(1)} s, floating IP ${vm.floatingIp ?? 'none'}`);
  try {
    const started = await api.ok<{ id: string }>('POST', '/migrations', {
      instanceId: vm.instanceId,
      destinationHostId: inventory.hostIds[spec.to],
      ...(spec.policyName ? { policyName: spec.policyName } : {}),
    });
    const tapFile = spec.tapCaptureDir === undefined ? null : join(spec.tapCaptureDir, `${spec.name}-tap.pcap`);
    const tap = tapFile === null ? null : captureTap(hostByName(spec.to), vm.mac, tapFile);
    let record: MigrationRecord;
    try {
      record = await waitForMigration(api, started.id, 300_000);
    } finally {
      await tap?.stop();
    }
    const report = await api.ok<MeasuredReport>('GET', `/migrations/${started.id}/report`);
    const crash = checkGuestCrash(vm.domainName);
    const guestTap =
      tapFile === null || report.switchover === null
        ? undefined
        : guestTurnaround(await readTapEchoes(tapFile).catch(() => []), vm.ip, report.switchover.pause.endTs);
    return { name: spec.name, record, report, crash: crash.crashed ? (crash.line ?? 'crashed') : null, guestTap };
  } finally {
    // Busy TCG guests compete for the two cores: each measured guest goes before the next boots.
    await destroyGuest(vm.domainName);
  }
}

const ms = (v: unknown) => (typeof v === 'number' ? `${v.toFixed(1)} ms` : '—');
const signedMs = (v: unknown) => (typeof v === 'number' ? `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(1)} ms over hv` : '— over hv');

const signedFromEnd = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(1)} ms from the pause's end`;

/** The lines the demo prints per migration: the headline is each path's downtime beside the pause. */
export function describeMigration(m: MeasuredMigration, from: string, to: string): string[] {
  const { record: done, report } = m;
  const lines = [
    `  ${m.name} ${from} → ${to}: ${done.state}${done.failureReason ? ` (${done.failureReason})` : ''}; ` +
      `total ${ms(report.network.totalMigrationTimeMs)} (hv ${ms(report.hypervisor.hvTotalTimeMs)}), loss ${typeof report.network.lossPct === 'number' ? report.network.lossPct.toFixed(2) : '—'} %, ` +
      `network convergence ${ms(report.network.networkConvergenceMs)}, ` +
      `${report.networkSteps.length} network steps${report.networkSteps.every((s) => s.ok) ? '' : ' (some FAILED)'}`,
    `    downtime: hypervisor ${ms(report.downtime.hypervisorMs)} · east-west ${ms(report.downtime.eastWestMs)} (${signedMs(report.downtime.eastWestMinusHvMs)}) · ` +
      `north-south ${ms(report.downtime.northSouthMs)} (${signedMs(report.downtime.northSouthMinusHvMs)})`,
    `    pause from libvirt's events (source suspended → destination resumed) ${ms(report.downtime.pauseFromEventsMs)}: ` +
      `east-west ${signedMs(report.downtime.eastWestMinusPauseMs).replace('hv', 'it')}, north-south ${signedMs(report.downtime.northSouthMinusPauseMs).replace('hv', 'it')}`,
  ];
  for (const s of report.switchover?.streams ?? [])
    lines.push(
      `    ${s.stream} lost probes: ${s.lost.before} before / ${s.lost.inside} inside / ${s.lost.after} after the pause; mtr ${ms(s.mtrMethodMs)}; first reply ${ms(s.firstReplyAfterPauseMs)} after the pause`,
    );
  const atSwitchover = (report.switchover?.steps ?? []).filter((s) => s.phase === 'switchover');
  if (atSwitchover.length > 0)
    lines.push(
      `    switchover steps, end from the pause's end: ${atSwitchover
        .map(
          (s) =>
            `${s.step}${s.host ? `@${s.host}` : ''} ${s.endFromPauseEndMs >= 0 ? '+' : '−'}${Math.abs(s.endFromPauseEndMs).toFixed(0)} ms${s.ok ? '' : ' FAILED'}`,
        )
        .join(', ')}`,
    );
  if (m.guestTap === null) lines.push('    destination tap: no answer from the guest seen after the pause');
  if (m.guestTap)
    lines.push(
      `    destination tap: first answered request reached the tap ${signedFromEnd(m.guestTap.requestAtTapFromPauseEndMs)}, ` +
        `the guest answered ${ms(m.guestTap.firstTurnaroundMs)} after max(request, resume) (warm guest: ${ms(m.guestTap.steadyTurnaroundMs)}), ` +
        `reply left the tap ${signedFromEnd(m.guestTap.replyAtTapFromPauseEndMs)}`,
    );
  for (const note of report.detail?.notes ?? []) lines.push(`    note: ${note}`);
  return lines;
}
