import { describe, expect, it } from 'vitest';
import {
  parseListenAddress,
  parseMaxCaptureBytes,
  parseMaxCaptures,
  parseTokenFile,
  requireAbsolutePath,
  requireHostName,
} from '../../../src/agents/agent/agent-options';

describe('agent command options', () => {
  it.each([
    ['192.0.2.11:7070', { address: '192.0.2.11', port: 7070 }],
    ['[2001:db8::1]:7070', { address: '2001:db8::1', port: 7070 }],
    ['0.0.0.0:1', { address: '0.0.0.0', port: 1 }],
  ])('parses --listen %s', (value, listen) => {
    expect(parseListenAddress(value)).toEqual(listen);
  });
  it.each(['192.0.2.11', 'hostA:7070', '192.0.2.11:0', '192.0.2.11:70000', '192.0.2.11:70x', '2001:db8::1:7070'])(
    'refuses --listen %s',
    (v) => {
      expect(() => parseListenAddress(v)).toThrow(RangeError);
    },
  );
  it('reads one token from the first line', () => {
    expect(parseTokenFile('s3cr3t-token-0123456789\n')).toBe('s3cr3t-token-0123456789');
  });
  it.each(['', '\n', 'short\n', 'two words token value\n'])('refuses token file %j', (text) => {
    expect(() => parseTokenFile(text)).toThrow(RangeError);
  });
  it('validates --host and paths', () => {
    expect(requireHostName('hostA')).toBe('hostA');
    expect(() => requireHostName('host A')).toThrow(/--host/);
    expect(requireAbsolutePath('/var/lib/livemig-agent/', '--data-dir')).toBe('/var/lib/livemig-agent');
    expect(() => requireAbsolutePath('data', '--data-dir')).toThrow(/not absolute/);
  });
  it('reads the capture limits and refuses hostile ones', () => {
    expect(parseMaxCaptures('4')).toBe(4);
    expect(parseMaxCaptureBytes('32')).toBe(32 * 1024 ** 3);
    for (const bad of ['0', '65', '-1', '1e3', '2.5', '', 'NaN']) expect(() => parseMaxCaptures(bad)).toThrow(/--max-captures/);
    for (const bad of ['0', '4097', '1e300', '0x10', 'Infinity']) expect(() => parseMaxCaptureBytes(bad)).toThrow(/--max-capture-gib/);
  });
});
