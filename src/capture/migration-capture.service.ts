import { Inject, Injectable, Logger } from '@nestjs/common';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AGENT_CLIENT_FACTORY, AgentDirectory } from '../agents/agent-directory.service';
import type { AgentClient, AgentClientFactory } from '../agents/client/agent.client';
import { analyzeCaptures } from '../analysis';
import { LIVEMIG_CONFIG, type LivemigConfig } from '../config/livemig-config';
import type { HostEntity } from '../inventory/hosts/host.entity';
import { composeNetworkReport, type MigrationNetworkReport } from './migration-report';
import { composeNorthSouth } from './north-south-report';

/** QEMU's default incoming migration ports and libvirt's RPC port. */
export const MIGRATION_PORTS = { from: 49152, to: 49215 } as const;
export const LIBVIRT_RPC_PORTS = [16509];
const TCP_ECHO_PORT = 7;
const MAX_CAPTURE_MIB = 1024;
const MAX_CAPTURE_SEC = 3600;

export interface CaptureSession {
  migrationId: string;
  source: HostEntity;
  guestIp: string | null;
  migrationCapture: { client: AgentClient; captureId: string } | null;
  probe: { client: AgentClient; probeId: string } | null;
  /** From the external network to the floating IP, when the guest has one and an external prober is configured. */
  northSouth: { client: AgentClient; probeId: string; floatingIp: string } | null;
  problems: string[];
}

export interface ProbeTargets {
  guestIp: string | null;
  floatingIp?: string | null;
}

/**
 * Captures the migration stream on the source's migration interface and runs a probe stream to the
 * guest from the prober, then fetches both pcaps and analyzes them. Capture trouble never stops a
 * migration; it is reported with the figures it prevented.
 */
@Injectable()
export class MigrationCaptureService {
  private readonly logger = new Logger(MigrationCaptureService.name);

  constructor(
    private readonly agents: AgentDirectory,
    @Inject(AGENT_CLIENT_FACTORY) private readonly agentFactory: AgentClientFactory,
    @Inject(LIVEMIG_CONFIG) private readonly config: LivemigConfig,
  ) {}

  async start(migrationId: string, source: HostEntity, targets: ProbeTargets): Promise<CaptureSession> {
    const guestIp = targets.guestIp;
    const session: CaptureSession = { migrationId, source, guestIp, migrationCapture: null, probe: null, northSouth: null, problems: [] };
    try {
      const client = await this.agents.clientFor(source.id);
      const info = await client.startCapture({
        interface: source.migrationInterface,
        filter: { migrationPorts: { ...MIGRATION_PORTS }, rpcPorts: LIBVIRT_RPC_PORTS },
        snaplenBytes: 128,
        maxSizeMiB: MAX_CAPTURE_MIB,
        nanosecond: true,
        maxDurationSec: MAX_CAPTURE_SEC,
      });
      session.migrationCapture = { client, captureId: info.captureId };
    } catch (err) {
      session.problems.push(`migration capture on ${source.name} did not start: ${message(err)}`);
    }
    const prober = this.config.capture.prober;
    if (!prober) session.problems.push('no prober is configured (LIVEMIG_PROBER_AGENT_URL): no probe stream');
    else if (!guestIp) session.problems.push('the instance has no ipAddress: no probe stream');
    else {
      try {
        const client = this.agentFactory({ host: 'prober', url: prober.url, token: prober.token });
        const info = await client.startProbe({
          target: guestIp,
          intervalMs: this.config.capture.probeIntervalMs,
          interface: prober.interface,
          tcpEchoPort: TCP_ECHO_PORT,
          maxDurationSec: MAX_CAPTURE_SEC,
        });
        session.probe = { client, probeId: info.probeId };
      } catch (err) {
        session.problems.push(`probe from the prober did not start: ${message(err)}`);
      }
    }
    if (targets.floatingIp) await this.startNorthSouth(session, targets.floatingIp);
    // A healthy stretch before the copy, so the outage stands out from a steady baseline.
    if (session.probe || session.northSouth) await sleep(Math.min(500, this.config.capture.tailMs));
    return session;
  }

  private async startNorthSouth(session: CaptureSession, floatingIp: string): Promise<void> {
    const external = this.config.capture.externalProber;
    if (!external) {
      session.problems.push(
        `the guest has floating IP ${floatingIp} but no external prober is configured (LIVEMIG_EXTERNAL_PROBER_AGENT_URL): no north-south probe`,
      );
      return;
    }
    try {
      const client = this.agentFactory({ host: 'external-prober', url: external.url, token: external.token });
      const info = await client.startProbe({
        target: floatingIp,
        intervalMs: this.config.capture.probeIntervalMs,
        interface: external.interface,
        maxDurationSec: MAX_CAPTURE_SEC,
      });
      session.northSouth = { client, probeId: info.probeId, floatingIp };
    } catch (err) {
      session.problems.push(`north-south probe to ${floatingIp} did not start: ${message(err)}`);
    }
  }

  /** Stops both captures after the tail, fetches and analyzes them. */
  async finish(session: CaptureSession, destination: HostEntity, switchoverAt: Date | null = null): Promise<MigrationNetworkReport> {
    await sleep(this.config.capture.tailMs);
    const dir = join(this.config.dataDir, 'migrations', session.migrationId);
    await mkdir(dir, { recursive: true });
    const migrationFile = await this.collect(session, 'migration', session.migrationCapture, async (c) => {
      await c.client.stopCapture(c.captureId);
      const file = join(dir, 'migration.pcap');
      await c.client.downloadCapture(c.captureId, file);
      await c.client.deleteCapture(c.captureId).catch(() => undefined);
      return file;
    });
    const probeFile = await this.collect(session, 'probe', session.probe, async (p) => {
      await p.client.stopProbe(p.probeId);
      const file = join(dir, 'probe.pcap');
      await p.client.downloadProbe(p.probeId, file);
      await p.client.deleteProbe(p.probeId).catch(() => undefined);
      return file;
    });
    const northSouthFile = await this.collect(session, 'north-south probe', session.northSouth, async (p) => {
      await p.client.stopProbe(p.probeId);
      const file = join(dir, 'north-south.pcap');
      await p.client.downloadProbe(p.probeId, file);
      await p.client.deleteProbe(p.probeId).catch(() => undefined);
      return file;
    });
    const [migrationAnalysis, probeAnalysis, northSouthAnalysis] = await Promise.all([
      migrationFile ? analyzeCaptures([migrationFile], { migrationPorts: { ...MIGRATION_PORTS }, rpcPorts: LIBVIRT_RPC_PORTS }) : null,
      probeFile
        ? analyzeCaptures([probeFile], {
            vmIp: session.guestIp ?? undefined,
            probeIntervalMs: this.config.capture.probeIntervalMs,
            echoPorts: [TCP_ECHO_PORT],
          })
        : null,
      northSouthFile && session.northSouth
        ? analyzeCaptures([northSouthFile], { vmIp: session.northSouth.floatingIp, probeIntervalMs: this.config.capture.probeIntervalMs })
        : null,
    ]);
    const report = composeNetworkReport(migrationAnalysis, probeAnalysis, {
      sourceAddress: session.source.migrationAddress,
      destinationAddress: destination.migrationAddress,
    });
    if (session.northSouth) {
      const northSouth = composeNorthSouth(
        northSouthAnalysis,
        session.northSouth.floatingIp,
        switchoverAt ? switchoverAt.getTime() / 1000 : null,
      );
      report.northSouth = northSouth;
      report.figures.northSouthDowntimeMs = northSouth.probe?.downtimeMs ?? null;
      report.figures.northSouthLossPct = northSouth.probe && northSouth.probe.sent > 0 ? northSouth.probe.lossPct : null;
      report.figures.networkConvergenceMs = northSouth.networkConvergenceMs;
      report.notes.push(...northSouth.notes);
    }
    report.notes.unshift(...session.problems);
    return report;
  }

  private async collect<T>(
    session: CaptureSession,
    what: 'migration' | 'probe' | 'north-south probe',
    handle: T | null,
    fetch: (handle: T) => Promise<string>,
  ): Promise<string | null> {
    if (!handle) return null;
    try {
      return await fetch(handle);
    } catch (err) {
      const problem = `${what} capture could not be fetched: ${message(err)}`;
      this.logger.warn(`migration ${session.migrationId}: ${problem}`);
      session.problems.push(problem);
      return null;
    }
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
