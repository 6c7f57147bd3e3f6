// Issue 16, finding 1: libvirt's error text quoted the first line of any file a test:/// URI named.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LibvirtError } from '../../../src/migration/libvirt/libvirt-error';
import { keptLibvirtText, libvirtErrorText, NativeLibvirtError } from '../../../src/migration/libvirt/libvirt-error-text';
import { loadNativeLibvirt } from '../../../src/migration/libvirt/load-native';

describe('libvirt errors reach callers in livemig words', () => {
  const dir = mkdtempSync(join(tmpdir(), 'livemig-errtext-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('never carries the content of a file libvirt was made to parse', async () => {
    const secretFile = join(dir, 'shadow');
    writeFileSync(secretFile, 'root:$6$SECRET-HASH-LINE:19000:0:99999:7:::\n');
    // Straight to the addon: the URI rules would refuse this long before.
    const error = await loadNativeLibvirt()
      .openConnection(`test://${secretFile}`)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(LibvirtError);
    const e = error as NativeLibvirtError;
    expect(e.message).not.toContain('SECRET-HASH-LINE');
    expect(e.message).toMatch(/^libvirt: .*\(libvirt error \d+, domain \d+\)$/);
    expect(JSON.stringify(e)).not.toContain('SECRET-HASH-LINE');
    // libvirt's own text stays available to a debugger, never enumerable.
    expect(Object.keys(e)).not.toContain('libvirtMessage');
  });

  it('keeps libvirt’s own first line for the codes that say why a job or domain refused', () => {
    const refused = new NativeLibvirtError(
      'Requested operation is not valid: migration of domain g1 is being actively monitored by another thread\nsecond line',
      55,
      10,
    );
    expect(refused.message).toBe(
      'libvirt: the operation is not valid in the domain’s current state (libvirt error 55, domain 10): ' +
        'Requested operation is not valid: migration of domain g1 is being actively monitored by another thread',
    );
    const qemu = new NativeLibvirtError("internal error: unable to execute QEMU command 'migrate-recover': not paused", 1, 10);
    expect(qemu.message).toContain("unable to execute QEMU command 'migrate-recover'");
    expect(keptLibvirtText('x'.repeat(400), 9, 10)).toHaveLength(301);
  });

  it('never keeps libvirt’s text for the codes that can quote a file or name a path', () => {
    expect(keptLibvirtText('/etc/shadow:1: Start tag expected', 35, 12)).toBeNull();
    expect(keptLibvirtText('Cannot read /root/secret', 31, 0)).toBeNull();
    expect(keptLibvirtText('internal error: something read from a file', 1, 12)).toBeNull();
    expect(new NativeLibvirtError('Failed to connect socket to /run/x: Connection refused', 38, 7).message).not.toContain('/run/x');
  });

  it('names unknown codes generically', () => {
    expect(libvirtErrorText(9999, 7)).toBe('libvirt: the libvirt call failed (libvirt error 9999, domain 7)');
  });
});
