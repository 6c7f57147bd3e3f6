import { Injectable, Logger } from '@nestjs/common';
import { AgentDirectory } from '../../agents/agent-directory.service';
import { Mutex } from '../../common/mutex';
import type { HostEntity } from '../../inventory/hosts/host.entity';
import { HostsRepository } from '../../inventory/repositories/hosts.repository';
import { compileHostState } from '../core/compile-host-state';
import { fipGatewaysNeeded } from '../core/fip-namespaces';
import { MISSED_HEARTBEATS_DOWN } from '../heartbeat/heartbeat-verdict';
import { AgentError } from '../../agents/client/agent.client';
import type { HeldNetworkState, HostNetworkState } from '../../agents/protocol';
import type { NetworkModel } from '../core/network-model';
import { allocatePort } from '../ports/port-allocation';
import { NetworkRevisionRepository } from '../repositories/network-revision.repository';
import { NetworkTransactions } from '../repositories/network-transactions';
import { NetworkModelLoader } from './network-model.loader';
import type { HostSyncResult, NetworkSyncReport } from './network-sync-report';

/**
 * Compiles each host's desired state and pushes it to every host that has an agent and a VTEP, in
 * parallel. Pushes run one sync at a time, each from a fresh read of the model, so an agent never
 * gets an older revision after a newer one from this controller.
 */
@Injectable()
export class NetworkSyncService {
  private readonly logger = new Logger(NetworkSyncService.name);
  private readonly mutex = new Mutex();

  constructor(
    private readonly loader: NetworkModelLoader,
    private readonly agents: AgentDirectory,
    private readonly hosts: HostsRepository,
    private readonly transactions: NetworkTransactions,
    private readonly revision: NetworkRevisionRepository,
  ) {}

  /**
   * After a change of the model (committed with its new revision): a push to every host. Hosts whose agent
   * the heartbeat has found down are not waited for (a request would only time out); the resync tries them.
   */
  afterChange(): Promise<NetworkSyncReport> {
    return this.mutex.run(() => this.push(true));
  }

  /** A push to every host with an agent and a VTEP, down or not. */
  syncAll(): Promise<NetworkSyncReport> {
    return this.mutex.run(() => this.push(false));
  }

  /**
   * Deliberate take-over: hosts whose agent holds another generation's state (an empty or restored database,
   * another controller) get this database's, and the revision starts above every revision they hold.
   * Hosts that hold this generation get a plain push.
   */
  takeOver(): Promise<NetworkSyncReport> {
    return this.mutex.run(async () => {
      const hosts = (await this.hosts.findAll()).filter((h) => h.agentEndpoint && h.vtepIp);
      const ours = (await this.loader.load()).generation ?? null;
      const held = await Promise.all(
        hosts.map(async (h) => {
          const status = await (await this.agents.clientFor(h.id)).networkStatus().catch(() => null);
          return { host: h, desired: status?.desired ?? null };
        }),
      );
      const highest = Math.max(0, ...held.map((x) => x.desired?.revision ?? 0));
      await this.revision.raiseAbove(highest);
      let model = await this.loader.load();
      if (await this.reconcileFipGateways(model)) model = await this.loader.load();
      const results = await Promise.all(
        held.map(({ host, desired }) => {
          const from = desired?.generation ?? null;
          const replace = desired !== null && from !== ours;
          return this.pushTo(model, host, replace ? { generation: from } : undefined);
        }),
      );
      const notUpdated = results.filter((r) => !r.ok).map((r) => r.host);
      const taken = results.filter((r) => r.tookOverFrom !== undefined).map((r) => `${r.host} (from ${r.tookOverFrom ?? 'none'})`);
      if (taken.length > 0) this.logger.warn(`network state taken over on ${taken.join(', ')} at revision ${model.revision}`);
      return { revision: model.revision, hosts: results, notUpdated };
    });
  }

  /** What the host should look like now (read-only: does not allocate fip gateways). */
  async desiredState(hostId: string): Promise<HostNetworkState> {
    return compileHostState(await this.loader.load(), hostId);
  }

  private async push(skipDown: boolean): Promise<NetworkSyncReport> {
    let model = await this.loader.load();
    if (await this.reconcileFipGateways(model)) model = await this.loader.load();
    const hosts = await this.hosts.findAll();
    const targets = hosts.filter((h) => h.agentEndpoint && h.vtepIp);
    const results = await Promise.all(
      targets.map((h) => (skipDown && h.agentState === 'down' ? Promise.resolve(skipped(model, h)) : this.pushTo(model, h))),
    );
    const notUpdated = results.filter((r) => !r.ok).map((r) => r.host);
    if (notUpdated.length > 0) this.logger.warn(`network revision ${model.revision} did not reach ${notUpdated.join(', ')}`);
    return { revision: model.revision, hosts: results, notUpdated };
  }

  private async pushTo(model: NetworkModel, host: HostEntity, takeOver?: { generation: string | null }): Promise<HostSyncResult> {
    const started = Date.now();
    const base = { host: host.name, hostId: host.id, revision: model.revision };
    try {
      const client = await this.agents.clientFor(host.id);
      // No tenant network modelled: a host livemig never managed keeps its own networking (a lab or
      // a cloud whose networks live elsewhere); one it managed before is emptied, so nothing is left.
      if (model.networks.length === 0 && !managed((await client.networkStatus()).desired)) {
        return { ...base, ok: true, durationMs: Date.now() - started, drift: [] };
      }
      const state = compileHostState(model, host.id);
      const report = await client.applyNetwork(takeOver ? { ...state, takeOver } : state);
      return {
        ...base,
        ok: true,
        durationMs: Date.now() - started,
        drift: report.drift,
        ...(takeOver ? { tookOverFrom: takeOver.generation } : {}),
      };
    } catch (err) {
      const heldBy = err instanceof AgentError && err.statusCode === 409 ? heldState(err.details) : undefined;
      return {
        ...base,
        ok: false,
        durationMs: Date.now() - started,
        drift: [],
        error: err instanceof Error ? err.message : String(err),
        ...(heldBy ? { heldBy } : {}),
      };
    }
  }

  /**
   * Neutron allocates a host's floatingip_agent_gateway port on an external network when the host first
   * needs a fip namespace there, and frees it when the last one goes. Done here so the compiler stays pure.
   */
  private async reconcileFipGateways(model: NetworkModel): Promise<boolean> {
    const needed = fipGatewaysNeeded(model);
    const existing = model.ports.filter((p) => p.deviceOwner === 'floatingip_agent_gateway');
    const missing = needed.filter((n) => !existing.some((p) => p.networkId === n.networkId && p.deviceId === n.hostId));
    const unneeded = existing.filter((p) => !needed.some((n) => n.networkId === p.networkId && n.hostId === p.deviceId));
    if (missing.length === 0 && unneeded.length === 0) return false;
    // The allocations, the releases and their revision commit together.
    return this.transactions.run(async (tx) => {
      let changed = false;
      for (const need of missing) {
        const subnet = await tx.subnets.firstOf(need.networkId);
        if (!subnet) continue;
        await allocatePort(tx, { subnet, deviceOwner: 'floatingip_agent_gateway', deviceId: need.hostId, activeHostId: need.hostId });
        changed = true;
      }
      for (const port of unneeded) {
        await tx.ports.delete(port.id);
        changed = true;
      }
      if (changed) await tx.revision.bump();
      return changed;
    });
  }
}

function skipped(model: NetworkModel, host: HostEntity): HostSyncResult {
  const seen = host.agentLastSeenAt ? `last seen ${host.agentLastSeenAt.toISOString()}` : 'never seen';
  return {
    host: host.name,
    hostId: host.id,
    revision: model.revision,
    ok: false,
    durationMs: 0,
    drift: [],
    error: `agent on ${host.name} is down (missed ${MISSED_HEARTBEATS_DOWN} heartbeats, ${seen}); the resync will retry`,
  };
}

/** The agent's 409 details, when they are what it holds. */
function heldState(details: unknown): HeldNetworkState | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const d = details as Partial<HeldNetworkState>;
  const reason = d.reason === 'older-revision' || d.reason === 'other-generation' ? d.reason : null;
  if (reason === null || typeof d.heldRevision !== 'number') return undefined;
  return { reason, heldGeneration: typeof d.heldGeneration === 'string' ? d.heldGeneration : null, heldRevision: d.heldRevision };
}

function managed(state: HostNetworkState | null): boolean {
  return state !== null && (state.networks.length > 0 || state.routers.length > 0 || state.fipNamespaces.length > 0);
}
