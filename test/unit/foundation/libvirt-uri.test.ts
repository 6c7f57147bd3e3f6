import { describe, expect, it } from 'vitest';
import { libvirtUriProblem } from '../../../src/inventory/hosts/libvirt-uri';
import { assertLibvirtUri } from '../../../src/inventory/hosts/libvirt-uri-rules';
import type { LibvirtUriPolicy } from '../../../src/config/libvirt-uri-policy';

const PRODUCTION: LibvirtUriPolicy = { allowTestUris: false, hypervisorNetworks: [] };
const LAB_SOCKET_URI = 'qemu+unix:///system?socket=/var/lib/livemig-lab/hosts/host-a/run/libvirt/libvirt-sock';

function problem(uri: string, policy: LibvirtUriPolicy = PRODUCTION): string | null {
  try {
    assertLibvirtUri(uri, policy);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

describe('libvirt URI rules (production policy)', () => {
  it.each([
    'qemu+tcp://192.0.2.11/system',
    'qemu+ssh://root@compute-a.example.org/system',
    'qemu+ssh://root@compute-a.example.org/system?no_tty=1&sshauth=agent,privkey',
    'qemu+tls://compute-a:16514/system',
    'qemu+tcp://[2001:db8::1]/system',
    'qemu://compute-a/system',
    'qemu:///system',
  ])('accepts %s', (uri) => {
    expect(problem(uri)).toBeNull();
  });

  // Issue 16, finding 1: each of these made the controller read a file, open a socket or run a program.
  it.each([
    ['test:///etc/shadow', /scheme test:/],
    ['test:///default', /scheme test:/],
    ['qemu+unix:///system?socket=/var/run/postgresql/.s.PGSQL.5432', /scheme qemu\+unix:/],
    ['qemu+ssh://compute-a/system?keyfile=/root/.ssh/id_rsa', /unsupported query parameter/],
    ['qemu+ssh://compute-a/system?known_hosts=/etc/shadow', /unsupported query parameter/],
    ['qemu+tls://compute-a/system?pkipath=/etc', /unsupported query parameter/],
    ['qemu+ssh://compute-a/system?command=/bin/sh', /unsupported query parameter/],
    ['qemu+ssh://compute-a/system?netcat=/tmp/evil', /unsupported query parameter/],
    ['qemu+tcp://compute-a/system?socket=/tmp/x', /unsupported query parameter/],
    ['qemu+ssh://compute-a/system?proxy=/bin/sh', /invalid value of proxy/],
    ['qemu+ext://compute-a/system?command=/bin/sh', /unsupported libvirt URI scheme/],
    ['qemu+libssh2://compute-a/system', /unsupported libvirt URI scheme/],
    ['qemu:///session', /exactly qemu:\/\/\/system/],
    ['qemu:///system?socket=/tmp/x', /exactly qemu:\/\/\/system/],
    ['qemu+tcp:///system', /invalid host/],
    ['qemu+tcp://192.0.2.11/', /invalid path/],
    ['qemu+tcp://user:pw@192.0.2.11/system', /password/],
    ['qemu+tcp://host_with_underscore/system', /invalid host/],
    ['http://192.0.2.11/system', /scheme http/],
    ['not a uri', /not a libvirt URI/],
  ])('refuses %s', (uri, expected) => {
    expect(problem(uri)).toMatch(expected);
  });

  it('keeps the DTO message and bounds', () => {
    expect(libvirtUriProblem('')).toMatch(/non-empty/);
    expect(libvirtUriProblem(42)).toMatch(/non-empty string/);
    expect(libvirtUriProblem(`qemu+tcp://${'a'.repeat(260)}/system`)).toMatch(/255/);
  });
});

describe('libvirt URI rules with LIVEMIG_LIBVIRT_TEST_URIS=allow', () => {
  const testing: LibvirtUriPolicy = { allowTestUris: true, hypervisorNetworks: [] };

  it("accepts libvirt's test driver and the lab daemons' sockets", () => {
    expect(problem('test:///default', testing)).toBeNull();
    expect(problem(LAB_SOCKET_URI, testing)).toBeNull();
  });

  it('still refuses other test paths and other sockets', () => {
    expect(problem('test:///etc/shadow', testing)).toMatch(/scheme test:/);
    expect(problem('qemu+unix:///system?socket=/var/run/postgresql/.s.PGSQL.5432', testing)).toMatch(/qemu\+unix/);
    expect(problem(`${LAB_SOCKET_URI}&command=/bin/sh`, testing)).toMatch(/qemu\+unix/);
  });
});

describe('libvirt URI rules with LIVEMIG_HYPERVISOR_NETWORKS', () => {
  const fenced: LibvirtUriPolicy = { allowTestUris: false, hypervisorNetworks: ['192.0.2.0/24', '2001:db8::/32'] };

  it('accepts hypervisors inside the networks', () => {
    expect(problem('qemu+tcp://192.0.2.11/system', fenced)).toBeNull();
    expect(problem('qemu+tls://[2001:db8::2]:16514/system', fenced)).toBeNull();
  });

  it('refuses any other address, and names (they could resolve anywhere)', () => {
    expect(problem('qemu+tcp://10.0.0.5:5432/system', fenced)).toMatch(/outside LIVEMIG_HYPERVISOR_NETWORKS/);
    expect(problem('qemu+tcp://127.0.0.1/system', fenced)).toMatch(/outside/);
    expect(problem('qemu+ssh://compute-a/system', fenced)).toMatch(/by IP address/);
  });
});
