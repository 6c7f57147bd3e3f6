import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseFdbShow,
  parseIpAddrShow,
  parseNeighShow,
  parseNetnsList,
  parseNftRuleset,
  parseRouteShow,
  parseRuleShow,
  parseSysctl,
} from '../../../src/agents/agent/network/network-parsers';

// Fixtures: real output of iproute2 6.1 and nft 1.0.6 on Debian 12, captured in scratch namespaces.
const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', 'network', name), 'utf8');

describe('network parsers on captured output', () => {
  it('ip -j -d addr show: kinds, masters, VXLAN parameters, macvlan mode, IPv4 addresses', () => {
    const links = parseIpAddrShow(fixture('host-addr.json'));
    const by = new Map(links.map((l) => [l.name, l]));
    expect(by.get('brq9')).toMatchObject({ kind: 'bridge', up: true, mtu: 1500, master: undefined, addresses: [] });
    expect(by.get('vxlan-9')).toMatchObject({
      kind: 'vxlan',
      master: 'brq9',
      vxlan: { id: 9, local: '10.9.9.1', port: 4789, learning: false },
    });
    expect(by.get('tapaaaa')).toMatchObject({ kind: 'veth', master: 'brq9', up: true });
    expect(by.get('xa')).toMatchObject({ kind: 'veth', addresses: ['192.0.2.140/25'] });
    expect(by.get('fg-bbb')).toMatchObject({ kind: 'macvlan', macvlanMode: 'bridge', up: false });
    expect(by.get('lo')).toMatchObject({ kind: undefined, up: false });
    const qr = parseIpAddrShow(fixture('qrouter-addr.json')).find((l) => l.name === 'qr-aaaa');
    expect(qr).toMatchObject({ mac: 'fa:16:3e:00:00:01', addresses: ['203.0.113.1/25'], up: true });
  });

  it('bridge -j fdb show: destinations on VXLAN devices, learned entries keep their master', () => {
    const fdb = parseFdbShow(fixture('host-fdb.json')).filter((e) => e.dev === 'vxlan-9');
    expect(fdb).toEqual([
      { mac: 'e6:8a:19:dd:fd:16', dev: 'vxlan-9', dst: undefined, master: 'brq9' },
      { mac: 'fa:16:3e:00:00:09', dev: 'vxlan-9', dst: '10.9.9.2', master: undefined },
      { mac: '00:00:00:00:00:00', dev: 'vxlan-9', dst: '10.9.9.2', master: undefined },
    ]);
  });

  it('ip -j route/rule/neigh show', () => {
    const routes = parseRouteShow(fixture('qrouter-route.json'));
    expect(routes[0]).toEqual({ table: '100', dst: 'default', gateway: '169.254.0.1', dev: 'qr-aaaa', type: 'unicast' });
    expect(routes[1]).toEqual({ table: 'main', dst: '203.0.113.0/25', gateway: undefined, dev: 'qr-aaaa', type: 'unicast' });
    expect(routes[2]).toMatchObject({ table: 'local', dst: '203.0.113.1/32', type: 'local' });
    expect(parseRuleShow(fixture('qrouter-rule.json'))).toEqual([
      { priority: 0, src: 'all', table: 'local' },
      { priority: 32765, src: '203.0.113.5', table: '100' },
      { priority: 32766, src: 'all', table: 'main' },
      { priority: 32767, src: 'all', table: 'default' },
    ]);
    expect(parseNeighShow(fixture('qrouter-neigh.json'))).toEqual([{ ip: '203.0.113.5', dev: 'qr-aaaa', mac: 'fa:16:3e:00:00:05' }]);
  });

  it('nft -j list ruleset: tables, chains, rules with handle and comment', () => {
    expect(parseNftRuleset(fixture('qrouter-nft.json'))).toEqual([
      {
        family: 'ip',
        name: 'livemig',
        chains: ['prerouting'],
        rules: [{ chain: 'prerouting', handle: 2, comment: 'dnat 192.0.2.170 203.0.113.5' }],
      },
    ]);
    const [dvr] = parseNftRuleset(fixture('host-nft.json'));
    expect(dvr).toMatchObject({ family: 'bridge', name: 'livemig-dvr', chains: ['dvr'] });
    expect(dvr?.rules.map((r) => r.comment)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      'dvr arp-in-src vxlan-9 203.0.113.1',
    ]);
    expect(parseNftRuleset('{"nftables": [{"metainfo": {"version": "1.0.6"}}]}')).toEqual([]);
  });

  it('ip -j netns list and sysctl -e', () => {
    expect(parseNetnsList(fixture('netns.json'))).toEqual(['lmt-x2', 'lmt-x1', 'lmt-x3']);
    expect(parseNetnsList('')).toEqual([]);
    expect(parseSysctl('net.ipv4.ip_forward = 1\nnet.ipv4.conf.fg-abc.proxy_arp = 0\n')).toEqual({
      'net.ipv4.ip_forward': '1',
      'net.ipv4.conf.fg-abc.proxy_arp': '0',
    });
  });

  it('refuses output that is not JSON instead of reading it as an empty host', () => {
    expect(() => parseIpAddrShow('Error: something')).toThrow(/not JSON/);
  });
});
