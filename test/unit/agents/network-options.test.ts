import { describe, expect, it } from 'vitest';
import { parseReconcileInterval, requireInterfaceName, requireNetnsPrefix } from '../../../src/agents/agent/agent-options';

describe('network agent options', () => {
  it('--reconcile-interval-ms: 0 turns reconciliation off, otherwise 100 ms to 1 h', () => {
    expect(parseReconcileInterval('0')).toBe(0);
    expect(parseReconcileInterval('2000')).toBe(2000);
    for (const bad of ['50', '-1', '1e3', '2s', '', '3600001'])
      expect(() => parseReconcileInterval(bad)).toThrow(/--reconcile-interval-ms/);
  });

  it('--external-interface is an interface name', () => {
    expect(requireInterfaceName('ext0', '--external-interface')).toBe('ext0');
    expect(() => requireInterfaceName('-i', '--external-interface')).toThrow(/--external-interface: interface name "-i"/);
    expect(() => requireInterfaceName('a-very-long-name0', '--external-interface')).toThrow(/longer than 15/);
  });

  it('--netns-prefix is empty or a short lower-case prefix ending in "-"', () => {
    expect(requireNetnsPrefix('')).toBe('');
    expect(requireNetnsPrefix('lab-h1-')).toBe('lab-h1-');
    for (const bad of ['h1', '../h1-', 'H1-', '-h1-', 'a;b-', 'abcdefghijklmnopq-'])
      expect(() => requireNetnsPrefix(bad)).toThrow(/--netns-prefix/);
  });
});
