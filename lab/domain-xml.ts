import { HOST_IFACES, TENANT_GATEWAY_IP, TENANT_PREFIX_LEN } from './topology';

// The lab guest as a libvirt domain: TCG (`type='qemu'`; KVM is unusable on
// these machines), direct kernel boot, knobs on the kernel command line.

export interface GuestDomainSpec {
  name: string;
  uuid: string;
  memoryMiB: number;
  vcpus: number;
  ip: string;
  mac: string;
  kernelPath: string;
  initrdPath: string;
  dirtyMiB: number;
  dirtyPauseMs: number;
  /** Raw image in shared storage; the guest writes to it every second. */
  diskPath?: string;
}

/** Same path on every host: inside each host's mount namespace /var/log is its own. */
export function consolePathInHost(domainName: string): string {
  return `/var/log/libvirt/qemu/${domainName}-console.log`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');

/**
 * How often the guest returns to user space, bounding how long QEMU 7.2 TCG keeps a stale TLB write entry.
 * It costs an idle guest's QEMU 38 % of a host core (1.5 % without); pti=on alone left 1 fault in 27.
 */
export const GUEST_TICK_MS = 1;

export function guestCmdline(spec: Pick<GuestDomainSpec, 'ip' | 'dirtyMiB' | 'dirtyPauseMs' | 'diskPath'>): string {
  return [
    'console=ttyS0',
    'quiet',
    // QEMU 7.2 TCG loses guest writes in live migration: after each dirty-bitmap sync its soft TLB keeps write
    // entries that no longer mark pages dirty, until the guest's next CR3 write flushes them. Page-table isolation
    // (off by default on qemu64, an AMD model) writes CR3 on every return to user space, and lm.tick_ms makes one
    // each millisecond (see guest-init.sh). Engine migrations under a 10 ms probe broke the guest in about 60 % of
    // cases without these; with pti alone 1 in 27, with both 0 in 47 (bench/guest-fault.bench.ts).
    'pti=on',
    `lm.ip=${spec.ip}/${TENANT_PREFIX_LEN}`,
    `lm.gw=${TENANT_GATEWAY_IP}`,
    `lm.dirty_mib=${spec.dirtyMiB}`,
    `lm.dirty_pause_ms=${spec.dirtyPauseMs}`,
    `lm.disk=${spec.diskPath ? 1 : 0}`,
    `lm.tick_ms=${GUEST_TICK_MS}`,
  ].join(' ');
}

/** Reads the knobs back from a domain's XML (lab status uses the IP). */
export function parseGuestCmdline(xml: string): { ip?: string } {
  const cmdline = /<cmdline>([^<]*)<\/cmdline>/.exec(xml)?.[1] ?? '';
  const ip = /(?:^|\s)lm\.ip=([0-9.]+)/.exec(cmdline)?.[1];
  return ip ? { ip } : {};
}

export function guestDomainXml(spec: GuestDomainSpec): string {
  const disk = spec.diskPath
    ? `
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='${esc(spec.diskPath)}'/>
      <target dev='vda' bus='virtio'/>
    </disk>`
    : '';
  return `<domain type='qemu'>
  <name>${esc(spec.name)}</name>
  <uuid>${esc(spec.uuid)}</uuid>
  <memory unit='MiB'>${spec.memoryMiB}</memory>
  <vcpu>${spec.vcpus}</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>${esc(spec.kernelPath)}</kernel>
    <initrd>${esc(spec.initrdPath)}</initrd>
    <cmdline>${esc(guestCmdline(spec))}</cmdline>
  </os>
  <features><acpi/></features>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>${disk}
    <interface type='bridge'>
      <source bridge='${HOST_IFACES.tenantBridge}'/>
      <mac address='${esc(spec.mac)}'/>
      <model type='virtio'/>
    </interface>
    <serial type='file'>
      <source path='${esc(consolePathInHost(spec.name))}' append='on'/>
      <target port='0'/>
    </serial>
    <console type='file'>
      <source path='${esc(consolePathInHost(spec.name))}' append='on'/>
      <target type='serial' port='0'/>
    </console>
    <controller type='usb' model='none'/>
    <memballoon model='none'/>
  </devices>
</domain>
`;
}
