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
  ])('accepts %s', (uri) => {
    expect(libvirtUriProblem(uri)).toBeNull();
  });

  it.each([
    ['', /non-empty/],
    ['http://192.0.2.11/system', /scheme "http"/],
    ['qemu+tcp:///system', /needs a host/],
    ['qemu+tcp://192.0.2.11/', /path "\/"/],
    ['qemu+tcp://host_with_underscore/system', /not a host name/],
    ['not a uri', /is not a URI/],
    [42, /non-empty string/],
  ])('refuses %j', (uri, problem) => {
    expect(libvirtUriProblem(uri)).toMatch(problem);
  });
});
