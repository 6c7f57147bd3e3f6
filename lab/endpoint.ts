import { assertName, checkInterfaceName, checkIpAddress } from '../src/common/names';
import { listNetns, run } from './exec';
import { LAB_PREFIX, type LabHost } from './topology';

// A tenant endpoint: a namespace plugged into a host's tenant bridge the way a
// guest's tap is. Cheaper than a guest and it can run ping, so tests use it for
// routed (east-west) and same-host traffic.

export interface EndpointSpec {
  /** Short name: the namespace is `lm-ep-<name>`, the host side `ep-<name>`. */
  name: string;
  host: LabHost;
  /** The tenant bridge on the host (the agent makes it for the network). */
  bridge: string;
  ip: string;
  prefixLength: number;
  mac: string;
  gatewayIp: string;
}

export interface Endpoint {
  netns: string;
  hostDevice: string;
  ip: string;
  mac: string;
}

const NAME = /^[a-z0-9]{1,12}$/;

export function endpointNetns(name: string): string {
  if (!NAME.test(name)) throw new RangeError(`endpoint name "${name}" must be 1-12 lower-case letters or digits`);
  return `${LAB_PREFIX}ep-${name}`;
}

export async function addEndpoint(spec: EndpointSpec): Promise<Endpoint> {
  const netns = endpointNetns(spec.name);
  const hostDevice = `ep-${spec.name}`;
  assertName(checkInterfaceName, spec.bridge);
  assertName(checkIpAddress, spec.ip);
  assertName(checkIpAddress, spec.gatewayIp);
  if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(spec.mac)) throw new RangeError(`"${spec.mac}" is not a MAC address`);
  if ((await listNetns()).includes(netns)) await removeEndpoint(spec.name);
  await run(['ip', 'netns', 'add', netns]);
  await run(['ip', '-n', netns, 'link', 'set', 'lo', 'up']);
  await run([
    'ip',
    'link',
    'add',
    'eth0',
    'netns',
    netns,
    'address',
    spec.mac,
    'type',
    'veth',
    'peer',
    'name',
    hostDevice,
    'netns',
    spec.host.netns,
  ]);
  // IPv4 only, like the tenant networks: no router solicitations or MLD reports flooding the tunnel.
  await run(['ip', 'netns', 'exec', netns, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1']);
  await run(['ip', 'netns', 'exec', spec.host.netns, 'sysctl', '-q', '-w', `net.ipv6.conf.${hostDevice}.disable_ipv6=1`]);
  await run(['ip', '-n', spec.host.netns, 'link', 'set', hostDevice, 'master', spec.bridge, 'up']);
  await run(['ip', '-n', netns, 'addr', 'add', `${spec.ip}/${spec.prefixLength}`, 'dev', 'eth0']);
  await run(['ip', '-n', netns, 'link', 'set', 'eth0', 'up']);
  await run(['ip', '-n', netns, 'route', 'add', 'default', 'via', spec.gatewayIp]);
  return { netns, hostDevice, ip: spec.ip, mac: spec.mac };
}

/** Deleting the namespace takes the veth pair with it. */
export async function removeEndpoint(name: string): Promise<void> {
  await run(['ip', 'netns', 'del', endpointNetns(name)], { allowFailure: true });
}
