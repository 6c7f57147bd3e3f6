import { describe, expect, it } from 'vitest';
import { checkAbsolutePath, checkInstancesPath, isMarkerId, markerFilePath } from '../../../src/agents/agent/storage/marker-path';

const ID = '0b7c2a9e-4f1d-4c3b-9a8e-1d2c3b4a5f60';

describe('marker ids', () => {
  it.each([
    [ID, true],
    ['../../etc/passwd', false],
    [`${ID}/../x`, false],
    [ID.toUpperCase(), true],
    ['0b7c2a9e-4f1d-1c3b-9a8e-1d2c3b4a5f60', false],
    ['', false],
  ])('isMarkerId(%j) is %s', (value, ok) => {
    expect(isMarkerId(value)).toBe(ok);
  });
});

describe('instances path', () => {
  const configured = '/var/lib/nova/instances';
  it.each([
    [undefined, { ok: true, path: configured }],
    [configured, { ok: true, path: configured }],
    [`${configured}/`, { ok: true, path: configured }],
  ])('accepts %j', (requested, result) => {
    expect(checkInstancesPath(requested, configured)).toEqual(result);
  });
  it.each([
    ['/var/lib/nova/instances/../../../etc', /segments/],
    ['/var/lib/nova/./instances', /segments/],
    ['var/lib/nova/instances', /not absolute/],
    ['/var/lib/nova//instances', /not a normal path/],
    ['/var/lib/nova/instances\0', /NUL/],
    ['/etc', /not this host's instances path/],
    ['', /non-empty/],
  ])('refuses %j', (requested, reason) => {
    const result = checkInstancesPath(requested, configured);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
  it('checkAbsolutePath keeps the root', () => {
    expect(checkAbsolutePath('/', 'p')).toEqual({ ok: true, path: '/' });
  });
});

describe('markerFilePath', () => {
  it('puts the marker under .livemig-markers', () => {
    expect(markerFilePath('/var/lib/nova/instances', ID)).toBe(`/var/lib/nova/instances/.livemig-markers/${ID}.marker`);
  });
  it('refuses anything but an id', () => {
    expect(() => markerFilePath('/var/lib/nova/instances', '../../etc/shadow')).toThrow(/not a marker id/);
  });
});
