import type { LabHost } from './topology';

// Per-host libvirtd.conf and qemu.conf. Pure text builders, so they are easy to read and test.

export function libvirtdConf(host: LabHost): string {
  return [
    '# livemig lab host; TCP without auth is for the lab only.',
    'listen_tls = 0',
    'listen_tcp = 1',
    `listen_addr = "${host.mgmtIp}"`,
    'auth_tcp = "none"',
    'auth_unix_rw = "none"',
    'unix_sock_group = "root"',
    // Machines with SMBIOS give every daemon the same UUID, and libvirt then refuses to migrate.
    `host_uuid = "${host.hostUuid}"`,
    'log_outputs = "3:stderr"',
    'keepalive_interval = 5',
    '',
  ].join('\n');
}

export function qemuConf(host: LabHost): string {
  return [
    'user = "root"',
    'group = "root"',
    'dynamic_ownership = 0',
    'remember_owner = 0',
    'security_driver = "none"',
    'cgroup_controllers = [ ]',
    'namespaces = [ ]',
    'stdio_handler = "file"',
    // Without migration_host the destination advertises its host name, which resolves to 127.0.0.1.
    `migration_address = "${host.mgmtIp}"`,
    `migration_host = "${host.mgmtIp}"`,
    '',
  ].join('\n');
}

/** libvirt 9.0 looks the user up even when qemu.conf says root. */
export const LIBVIRT_QEMU_PASSWD = 'libvirt-qemu:x:64055:64055:Libvirt Qemu,,,:/var/lib/libvirt:/usr/sbin/nologin';
export const LIBVIRT_QEMU_GROUP = 'libvirt-qemu:x:64055:libvirt-qemu';

export function withLine(file: string, line: string): string {
  const name = line.split(':')[0];
  const present = file.split('\n').some((l) => l.split(':')[0] === name);
  if (present) return file;
  return `${file.endsWith('\n') || file === '' ? file : `${file}\n`}${line}\n`;
}
