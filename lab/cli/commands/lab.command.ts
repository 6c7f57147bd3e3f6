import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import {
  CONTROLLER_IFACE,
  CONTROLLER_IP,
  LAB_GUEST_NAME,
  MAX_LAB_HOSTS,
  PROBER,
  ensureLabGuest,
  formatLabStatus,
  labDown,
  labStatus,
  labUp,
  registerLab,
} from '../..';

// `livemig-lab up|status|down`: the one-machine lab of compute hosts (see lab/README.md).

function parseHostCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LAB_HOSTS) throw new InvalidArgumentError(`must be 1 to ${MAX_LAB_HOSTS}`);
  return n;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

export function registerLabCommands(lab: Command): void {
  lab
    .command('up')
    .description('create the hosts (netns + own libvirtd + agent), prober agent, networks, controller leg and guest image; idempotent')
    .option('--hosts <n>', `number of compute hosts (1-${MAX_LAB_HOSTS})`, parseHostCount, 2)
    .option('--no-guest', `do not boot the standing guest (${LAB_GUEST_NAME}, lab.tiny, on host-a)`)
    .option('--register <url>', 'register hosts, flavors and a booted guest in a controller (env LIVEMIG_API_URL)')
    .option('--token <token>', 'bearer token for --register (env LIVEMIG_API_TOKEN)')
    .action(async (opts: { hosts: number; guest: boolean; register?: string; token?: string }) => {
      const result = await labUp({ hosts: opts.hosts, log: say });
      say(
        result.alreadyUp
          ? `lab already up with ${result.hosts.length} hosts`
          : `lab up: ${result.hosts.length} hosts in ${(result.upMs / 1000).toFixed(1)} s (guest image ${result.imageBuilt ? 'built' : 'cached'}, ${(result.imageMs / 1000).toFixed(1)} s)`,
      );
      say(`  controller leg ${CONTROLLER_IFACE} ${CONTROLLER_IP} (root namespace)`);
      for (const h of result.hosts)
        say(
          `  ${h.name}  netns ${h.netns}  ${h.libvirtUri}  agent ${h.agentUrl}  migration ${h.migrationInterface} ${h.mgmtIp}  vtep ${h.vtepIp}`,
        );
      say(`  prober  netns ${PROBER.netns}  agent ${PROBER.agentUrl}  probes via ${PROBER.tenantInterface} ${PROBER.tenantIp}`);
      const url = opts.register ?? process.env.LIVEMIG_API_URL;
      const first = result.hosts[0];
      if ((opts.guest || url) && first) await ensureLabGuest({ host: first.name, log: say });
      if (url) {
        const token = opts.token ?? process.env.LIVEMIG_API_TOKEN;
        if (!token) throw new Error('--register needs --token or LIVEMIG_API_TOKEN');
        const reg = await registerLab({ url, token, hosts: result.hosts, log: say });
        say(
          `registered ${Object.keys(reg.hostIds).length} hosts, ${Object.keys(reg.flavorIds).length} flavors, instance ${reg.instanceId} (${reg.guest.domainName} on ${reg.guest.host})`,
        );
      }
    });

  lab
    .command('status')
    .description(
      "check each host's libvirt from the other host's namespace and from root, every agent's health, and ping guests from the prober",
    )
    .option('--json', 'print the status as JSON')
    .action(async (opts: { json?: boolean }) => {
      const status = await labStatus();
      say(opts.json ? JSON.stringify(status, null, 2) : formatLabStatus(status));
      if (status.up && !status.healthy) process.exitCode = 1;
    });

  lab
    .command('down')
    .description('remove every lab namespace, process, agent, the controller leg and per-host directories')
    .action(async () => {
      const result = await labDown();
      say(`lab down: removed ${result.namespaces.length} namespaces, ended ${result.processesEnded} processes`);
      if (result.rootLeftovers.length > 0) {
        say(`root namespace still holds lab leftovers: ${result.rootLeftovers.join('; ')}`);
        process.exitCode = 1;
      }
    });
}
