// The network model as plain data: what the compiler reads. The service builds it
// from the database; tests build it by hand. Pure.

export const DEVICE_OWNERS = ['compute', 'router_interface', 'floatingip_agent_gateway', 'router_gateway'] as const;
export type DeviceOwner = (typeof DEVICE_OWNERS)[number];

export const BINDING_STATUSES = ['ACTIVE', 'INACTIVE'] as const;
export type BindingStatus = (typeof BINDING_STATUSES)[number];

export interface ModelHost {
  id: string;
  name: string;
  vtepIp: string | null;
}

export interface ModelNetwork {
  id: string;
  vni: number;
  mtu: number;
  external: boolean;
  staticVteps: string[];
}

export interface ModelSubnet {
  id: string;
  networkId: string;
  cidr: string;
  gatewayIp: string;
}

export interface ModelBinding {
  hostId: string;
  status: BindingStatus;
}

export interface ModelPort {
  id: string;
  networkId: string;
  subnetId: string;
  mac: string;
  fixedIp: string;
  deviceOwner: DeviceOwner;
  /** Instance id (compute), router id (router_interface, router_gateway), host id (floatingip_agent_gateway). */
  deviceId: string | null;
  bindings: ModelBinding[];
}

export interface ModelRouter {
  id: string;
  distributed: boolean;
  /** Where a non-distributed router lives. */
  legacyHostId: string | null;
  externalNetworkId: string | null;
  /** DVR: the host of the centralised SNAT for ports without a floating IP (Neutron's dvr_snat node); absent: none. */
  snatHostId?: string | null;
}

export interface ModelFloatingIp {
  id: string;
  networkId: string;
  address: string;
  portId: string | null;
  /** The router that NATs it: interface on the port's subnet, gateway on the FIP's network. */
  routerId: string | null;
}

export interface NetworkModel {
  revision: number;
  /** The controller database's identity, sent with each state (absent in models built by hand). */
  generation?: string;
  hosts: ModelHost[];
  networks: ModelNetwork[];
  subnets: ModelSubnet[];
  ports: ModelPort[];
  routers: ModelRouter[];
  floatingIps: ModelFloatingIp[];
}
