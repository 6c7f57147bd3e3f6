// Programmatic API of the lab, for tests, the migration engine and the demo.
export * from './topology';
export { topology, hostByName } from './current-topology';
export { labUp, labDown, labStatus, formatLabStatus } from './lab';
export { acquireLabLock, withLabLock } from './lab-lock';
export type { LabUpOptions, LabUpResult, LabDownResult, LabStatus, HostStatus, GuestStatus } from './lab';
export {
  bootGuest,
  destroyGuest,
  whereIsGuest,
  guestConsole,
  checkGuestCrash,
  heartbeatCount,
  diskWriteCount,
  findCrash,
  installGuestImage,
  GuestCrashError,
  GUEST_CRASH_PATTERN,
  DEFAULT_GUEST_MEMORY_MIB,
} from './guest';
export type { BootGuestOptions, BootedGuest, GuestLocation, GuestCrashCheck } from './guest';
export { ensureGuestImage } from './guest-image';
export { virshMigrate, completedJobInfo } from './migrate';
export type { VirshMigrateResult } from './migrate';
export { verifySharedStorage } from './shared-storage';
export { execIn, run, listNetns, netnsPids, LabCommandError } from './exec';
export type { ExecResult, ExecOptions } from './exec';
export { ping, parsePing, controllerLegLeftovers } from './network';
export type { PingResult } from './network';
export { registerLab } from './register';
export { ensureLabGuest, LAB_GUEST_NAME } from './lab-guest';
export type { LabGuest } from './lab-guest';
export type { RegisterOptions, RegisterResult } from './register';
export { labDir, instancesPath } from './paths';
export { consolePathInHost } from './domain-xml';

import { hostByName } from './current-topology';
import * as agents from './agents';
import * as daemon from './libvirtd';
import * as network from './network';
import { EXTERNAL, PROBER } from './topology';

/** virsh against a lab host's libvirtd over its qemu+tcp URI, run in that host's namespace. */
export const virsh = (host: string, args: readonly string[], opts?: { allowFailure?: boolean; timeoutMs?: number }) =>
  daemon.virsh(hostByName(host), args, opts);
/** Crash the host's libvirtd (SIGKILL); its guests keep running. */
export const killLibvirtd = (host: string) => daemon.killLibvirtd(hostByName(host));
export const startLibvirtd = (host: string) => daemon.startLibvirtd(hostByName(host));
export const libvirtdPid = (host: string) => daemon.libvirtdPid(hostByName(host));
/** tc rate limit on the host's migration interface (mig0); null removes it. */
export const shapeMigrationLink = (host: string, rateMbit: number | null) => network.shapeMigrationLink(hostByName(host), rateMbit);
export const setMigrationLink = (host: string, state: 'up' | 'down') => network.setMigrationLink(hostByName(host), state);

/** `name` is a host name ("host-a"), "prober" or "external". */
function labAgentByName(name: string): agents.LabAgent {
  if (name === agents.PROBER_AGENT_NAME) return agents.PROBER_AGENT;
  if (name === agents.EXTERNAL_AGENT_NAME) return agents.EXTERNAL_AGENT;
  return agents.hostAgent(hostByName(name));
}
/** Bearer token of a lab agent (host name or "prober"), as the controller must present it. */
export const agentToken = (name: string): string => agents.readAgentToken(labAgentByName(name).name);
/** Environment for a controller started against the lab: the prober agents and the interfaces their probes leave by. */
export function controllerEnv(): Record<string, string> {
  return {
    LIVEMIG_PROBER_AGENT_URL: agents.PROBER_AGENT.url,
    LIVEMIG_PROBER_AGENT_TOKEN: agents.readAgentToken(agents.PROBER_AGENT_NAME),
    LIVEMIG_PROBER_INTERFACE: PROBER.tenantInterface,
    LIVEMIG_EXTERNAL_PROBER_AGENT_URL: agents.EXTERNAL_AGENT.url,
    LIVEMIG_EXTERNAL_PROBER_AGENT_TOKEN: agents.readAgentToken(agents.EXTERNAL_AGENT_NAME),
    LIVEMIG_EXTERNAL_PROBER_INTERFACE: EXTERNAL.iface,
  };
}
/** SIGKILL the agent, as a crash would; `startAgent` brings it back with the same token. */
export const killAgent = (name: string) => agents.stopLabAgent(labAgentByName(name), 'SIGKILL');
/** Starts the agent unless running; resolves with its pid once it answers its health check. */
export const startAgent = (name: string) => agents.startLabAgent(labAgentByName(name));
export const agentPid = (name: string) => agents.agentPid(labAgentByName(name));
/** GET /v1/health from the root namespace; `token: undefined` sends none. */
export const agentHealth = (name: string, token: string | undefined) => agents.agentHealth(labAgentByName(name), token);
/** Restarts a lab agent over HTTPS with these PEM files (the lab's PKI, makeLabPki); same token. Resolves with its https URL. */
export async function startAgentOverTls(name: string, tls: agents.LabAgentTls): Promise<string> {
  const agent = agents.withTls(labAgentByName(name), tls);
  await agents.stopLabAgent(agent);
  await agents.startLabAgent(agent);
  return agent.url;
}
/** GET /v1/health over HTTPS with this trust and client certificate (the agent's own TLS files are not needed). */
export const agentHealthOverTls = (name: string, tls: Pick<agents.LabAgentTls, 'ca' | 'client'>, token: string | undefined) =>
  agents.agentHealth(agents.withTls(labAgentByName(name), { cert: '', key: '', ...tls }), token);
export { PROBER_AGENT_NAME } from './agents';
export type { LabAgentTls } from './agents';
export { makeLabPki } from './tls';
export type { LabPki, LabCertificate } from './tls';
export type { AgentHealthCheck } from './agents';
export { addEndpoint, removeEndpoint, endpointNetns } from './endpoint';
export type { Endpoint, EndpointSpec } from './endpoint';
export { hostNetnsPrefix } from './agents';
