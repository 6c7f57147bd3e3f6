import { instancesPath } from './paths';
import { readLabState } from './state';
import {
  CONTROLLER_IFACE,
  CONTROLLER_IP,
  DEFAULT_LAB_HOSTS,
  EXTERNAL,
  FABRIC_NETNS,
  PROBER,
  TENANT_CIDR,
  TENANT_GATEWAY_IP,
  TENANT_VNI,
  labHosts,
  type LabHost,
  type LabTopology,
} from './topology';

/** The lab's plan for `hosts` hosts; without it, for as many as the running lab has. */
export function topology(hosts?: number): LabTopology {
  const count = hosts ?? readLabState()?.hosts ?? DEFAULT_LAB_HOSTS;
  return {
    hosts: labHosts(count),
    prober: PROBER,
    external: EXTERNAL,
    fabricNetns: FABRIC_NETNS,
    controller: { ip: CONTROLLER_IP, iface: CONTROLLER_IFACE },
    tenant: { cidr: TENANT_CIDR, gatewayIp: TENANT_GATEWAY_IP, vni: TENANT_VNI },
    instancesPath: instancesPath(),
  };
}

/** Looks a host up by name ("host-a") or netns ("lm-host-a"). */
export function hostByName(name: string): LabHost {
  const host = topology().hosts.find((h) => h.name === name || h.netns === name);
  if (!host)
    throw new Error(
      `no lab host "${name}" (lab hosts: ${topology()
        .hosts.map((h) => h.name)
        .join(', ')})`,
    );
  return host;
}
