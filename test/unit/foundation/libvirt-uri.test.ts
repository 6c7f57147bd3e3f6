import { describe, expect, it } from 'vitest';
import { libvirtUriProblem } from '../../../src/inventory/hosts/libvirt-uri';

describe('libvirtUriProblem', () => {
  it.each([
    'qemu+tcp://192.0.2.11/system',
    'qemu+ssh://root@compute-a.example.org/system',
    'qemu+tls://compute-a:16514/system',
    'qemu+tcp://[2001:db8::1]/system',
    'qemu:///system',
    'qemu:///session',
    'test:///default',
    'qemu+unix:///system?socket=/var/lib/livemig-lab/hosts/host-a/run/libvirt/libvirt-sock',
  ])('accepts %s', (uri) => {
    expect(libvirtUriProblem(uri)).toBeNull();
  });

  it.each([
    ['', /non-empty/],
    ['http://192.0.2.11/system', /scheme http/],
    ['qemu+tcp:///system', /invalid host/],
    ['qemu+tcp://192.0.2.11/', /invalid path/],
    ['qemu+tcp://host_with_underscore/system', /invalid host/],
    ['qemu+ssh://compute-a/system?command=/bin/sh', /unsupported query parameter/],
    ['not a uri', /not a libvirt URI/],
    [42, /non-empty string/],
  ])('refuses %j', (uri, problem) => {
    expect(libvirtUriProblem(uri)).toMatch(problem);
  });
});
