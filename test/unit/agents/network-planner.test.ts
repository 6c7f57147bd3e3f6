import { describe, expect, it } from 'vitest';
import { planNetwork } from '../../../src/agents/agent/network/network-planner';
import type { ObservedHost } from '../../../src/agents/agent/network/observed-state';
import { FIP_NS, G2_MAC, OPTIONS, ROUTER, convergedHost, freshHost, link, sampleState } from './fixtures/network/states';

const lines = (commands: string[][]) => commands.map((c) => c.join(' '));
const subjects = (host: ObservedHost, state = sampleState()) =>
  planNetwork(state, host, OPTIONS).drift.map((d) => `${d.found} ${d.kind} ${d.subject}`);

describe('network planner: fresh and converged hosts', () => {
  it('builds everything on a fresh host, namespaces before what goes into them', () => {
    const plan = planNetwork(sampleState(), freshHost(), OPTIONS);
    const cmds = lines(plan.commands);
    expect(cmds.slice(0, 9)).toEqual([
      'ip link add brq1000 type bridge',
      'ip link set dev brq1000 mtu 1450',
      'ip link set dev brq1000 up',
      'ip link add vxlan-1000 type vxlan id 1000 local 198.51.100.131 dstport 4789 nolearning',
      'ip link set dev vxlan-1000 mtu 1450',
      'ip link set dev vxlan-1000 master brq1000',
      'ip link set dev vxlan-1000 up',
      'bridge fdb append 00:00:00:00:00:00 dev vxlan-1000 dst 198.51.100.132',
      `bridge fdb replace ${G2_MAC} dev vxlan-1000 dst 198.51.100.132`,
    ]);
    for (const expected of [
      `ip netns add ${FIP_NS}`,
      `ip link add fg-eeeeeeeeeee link ext0 type macvlan mode bridge`,
      `ip netns exec ${FIP_NS} sysctl -w net.ipv4.conf.fg-eeeeeeeeeee.proxy_arp=1`,
      `ip netns add ${ROUTER}`,
      `ip netns exec ${ROUTER} sysctl -w net.ipv4.ip_forward=1`,
      'ip link add qr-aaaaaaaaaaa address fa:16:3e:00:00:01 mtu 1450 type veth peer name tapaaaaaaaaaaa mtu 1450',
      'ip link set dev tapaaaaaaaaaaa master brq1000',
      `ip -n ${ROUTER} neigh replace 203.0.113.11 lladdr fa:16:3e:01:11 dev qr-aaaaaaaaaaa nud permanent`.replace(
        'fa:16:3e:01:11',
        'fa:16:3e:00:01:11',
      ),
      `ip -n ${ROUTER} rule add from 203.0.113.11 table 16 priority 32768`,
      `ip -n ${ROUTER} route replace default via 169.254.106.115 dev rfp-5b1f0c2a9d3 table 16`,
      `ip -n ${ROUTER} addr add 192.0.2.170/32 dev rfp-5b1f0c2a9d3`,
      `ip netns exec ${ROUTER} nft add rule ip livemig prerouting ip daddr 192.0.2.170 dnat to 203.0.113.11 comment "dnat 192.0.2.170 to 203.0.113.11"`,
      `ip -n ${FIP_NS} route replace 192.0.2.170/32 via 169.254.106.114 dev fpr-5b1f0c2a9d3`,
      `ip netns exec ${FIP_NS} arping -q -U -c 3 -I fg-eeeeeeeeeee -s 192.0.2.170 192.0.2.170`,
      'nft add rule bridge livemig-dvr dvr oifname "vxlan-1000" ether saddr fa:16:3e:00:00:01 ether saddr set fa:16:3f:00:00:01 comment "smac fa:16:3e:00:00:01 to fa:16:3f:00:00:01 out vxlan-1000"',
      'nft add rule bridge livemig-dvr dvr iifname "vxlan-1000" arp daddr ip 203.0.113.1 drop comment "arp to 203.0.113.1 in vxlan-1000"',
    ]) {
      expect(cmds).toContain(expected);
    }
    const at = (s: string) => cmds.findIndex((c) => c.startsWith(s));
    expect(at(`ip netns add ${ROUTER}`)).toBeLessThan(at('ip link set dev qr-aaaaaaaaaaa netns'));
    expect(at(`ip netns add ${FIP_NS}`)).toBeLessThan(at('ip link set dev fpr-5b1f0c2a9d3 netns'));
    expect(at(`ip -n ${FIP_NS} route replace 192.0.2.170/32`)).toBeLessThan(at(`ip netns exec ${FIP_NS} arping`));
    expect(plan.drift.every((d) => d.found === 'missing' && d.repaired)).toBe(true);
  });

  it('runs nothing and reports nothing on a converged host (bridge-learned FDB entries and guest taps left alone)', () => {
    const plan = planNetwork(sampleState(), convergedHost(), OPTIONS);
    expect(plan.drift).toEqual([]);
    expect(plan.commands).toEqual([]);
  });

  it('adopts a pre-made bridge and VXLAN device with the right parameters', () => {
    const host = convergedHost();
    const plan = planNetwork(sampleState(), host, OPTIONS);
    expect(lines(plan.commands).filter((c) => c.includes('brq1000') || c.includes('vxlan-1000'))).toEqual([]);
  });
});

describe('network planner: each drift kind', () => {
  it('fdb: a deleted unicast entry, a stale destination, an extra flood entry', () => {
    const host = convergedHost();
    host.fdb = [
      { mac: '00:00:00:00:00:00', dev: 'vxlan-1000', dst: '198.51.100.132', master: undefined },
      { mac: '00:00:00:00:00:00', dev: 'vxlan-1000', dst: '198.51.100.133', master: undefined },
      { mac: 'fa:16:3e:00:01:13', dev: 'vxlan-1000', dst: '198.51.100.133', master: undefined },
    ];
    const plan = planNetwork(sampleState(), host, OPTIONS);
    expect(lines(plan.commands)).toEqual([
      `bridge fdb replace ${G2_MAC} dev vxlan-1000 dst 198.51.100.132`,
      'bridge fdb del 00:00:00:00:00:00 dev vxlan-1000 dst 198.51.100.133',
      'bridge fdb del fa:16:3e:00:01:13 dev vxlan-1000 dst 198.51.100.133',
    ]);
    const moved = convergedHost();
    moved.fdb[1] = { mac: G2_MAC, dev: 'vxlan-1000', dst: '198.51.100.140', master: undefined };
    const movedPlan = planNetwork(sampleState(), moved, OPTIONS);
    expect(movedPlan.drift).toEqual([
      {
        kind: 'fdb',
        subject: `${G2_MAC} dev vxlan-1000 dst 198.51.100.132`,
        found: 'different',
        detail: 'dst 198.51.100.140',
        repaired: true,
      },
    ]);
    expect(lines(movedPlan.commands)).toEqual([`bridge fdb replace ${G2_MAC} dev vxlan-1000 dst 198.51.100.132`]);
  });

  it('link: a VXLAN device with the wrong VNI or learning is recreated and re-enslaved, its FDB re-added', () => {
    const host = convergedHost();
    const vx = host.host.links.find((l) => l.name === 'vxlan-1000');
    if (!vx?.vxlan) throw new Error('fixture');
    vx.vxlan = { ...vx.vxlan, id: 1001, learning: true };
    const plan = planNetwork(sampleState(), host, OPTIONS);
    expect(plan.drift[0]).toMatchObject({
      kind: 'link',
      subject: 'vxlan-1000',
      found: 'different',
      detail: 'id 1001 local 198.51.100.131 dstport 4789 learning; want id 1000 local 198.51.100.131 dstport 4789 nolearning',
    });
    expect(lines(plan.commands).slice(0, 5)).toEqual([
      'ip link del vxlan-1000',
      'ip link add vxlan-1000 type vxlan id 1000 local 198.51.100.131 dstport 4789 nolearning',
      'ip link set dev vxlan-1000 mtu 1450',
      'ip link set dev vxlan-1000 master brq1000',
      'ip link set dev vxlan-1000 up',
    ]);
    expect(plan.drift.filter((d) => d.kind === 'fdb').map((d) => d.found)).toEqual(['missing', 'missing']);
  });

  it('link: bridge down, wrong MTU, tap off its bridge', () => {
    const host = convergedHost();
    const br = host.host.links.find((l) => l.name === 'brq1000');
    const tap = host.host.links.find((l) => l.name === 'tapaaaaaaaaaaa');
    if (!br || !tap) throw new Error('fixture');
    br.up = false;
    br.mtu = 1500;
    tap.master = undefined;
    expect(lines(planNetwork(sampleState(), host, OPTIONS).commands)).toEqual([
      'ip link set dev brq1000 mtu 1450',
      'ip link set dev brq1000 up',
      'ip link set dev tapaaaaaaaaaaa master brq1000',
    ]);
  });

  it('netns: a deleted qrouter is rebuilt with everything in it', () => {
    const host = convergedHost();
    host.namespaceNames = host.namespaceNames.filter((n) => n !== ROUTER);
    delete host.namespaces[ROUTER];
    host.host.links = host.host.links.filter((l) => l.name !== 'tapaaaaaaaaaaa');
    const found = subjects(host);
    expect(found).toEqual([
      `missing netns ${ROUTER}`,
      `missing link lo in ${ROUTER}`,
      `missing sysctl net.ipv4.ip_forward=1 in ${ROUTER}`,
      `missing sysctl net.ipv6.conf.all.disable_ipv6=1 in ${ROUTER}`,
      `missing sysctl net.ipv6.conf.default.disable_ipv6=1 in ${ROUTER}`,
      `missing link qr-aaaaaaaaaaa in ${ROUTER}`,
      `missing arp 203.0.113.11 lladdr fa:16:3e:00:01:11 dev qr-aaaaaaaaaaa in ${ROUTER}`,
      `different link rfp-5b1f0c2a9d3/fpr-5b1f0c2a9d3 in ${ROUTER}`,
      `missing address 169.254.106.114/31 dev rfp-5b1f0c2a9d3 in ${ROUTER}`,
      `missing address 192.0.2.170/32 dev rfp-5b1f0c2a9d3 in ${ROUTER}`,
      `missing route default via 169.254.106.115 dev rfp-5b1f0c2a9d3 table 16 in ${ROUTER}`,
      `missing rule from 203.0.113.11 table 16 priority 32768 in ${ROUTER}`,
      `missing nft table ip livemig in ${ROUTER}`,
    ]);
    // the orphaned fpr end in the fip namespace is removed before the pair is made again
    expect(lines(planNetwork(sampleState(), host, OPTIONS).commands)).toContain(`ip -n ${FIP_NS} link del fpr-5b1f0c2a9d3`);
  });

  it('netns: a name whose namespace is gone (stale mount) is deleted and made again', () => {
    const host = convergedHost();
    host.staleNamespaces = [ROUTER];
    delete host.namespaces[ROUTER];
    const plan = planNetwork(sampleState(), host, OPTIONS);
    expect(lines(plan.commands).slice(0, 2)).toEqual([`ip netns delete ${ROUTER}`, `ip netns add ${ROUTER}`]);
  });

  it('address, arp, rule, route, sysctl, nft', () => {
    const host = convergedHost();
    const r = host.namespaces[ROUTER];
    const f = host.namespaces[FIP_NS];
    if (!r || !f) throw new Error('fixture');
    const rfp = r.links.find((l) => l.name === 'rfp-5b1f0c2a9d3');
    if (!rfp) throw new Error('fixture');
    rfp.addresses = ['169.254.106.114/31', '192.0.2.171/32'];
    r.neighbours = [
      { ip: '203.0.113.11', dev: 'qr-aaaaaaaaaaa', mac: 'fa:16:3e:00:00:ff' },
      { ip: '203.0.113.99', dev: 'qr-aaaaaaaaaaa', mac: 'fa:16:3e:00:00:99' },
    ];
    r.rules.push({ priority: 32764, src: '203.0.113.12', table: '16' });
    r.routes = r.routes.filter((x) => x.table !== '16');
    r.sysctl['net.ipv4.ip_forward'] = '0';
    const nat = r.nftTables[0];
    if (!nat) throw new Error('fixture');
    nat.rules = [...nat.rules.filter((x) => x.chain === 'prerouting'), { chain: 'postrouting', handle: 99, comment: undefined }];
    f.sysctl['net.ipv4.conf.fg-eeeeeeeeeee.proxy_arp'] = '0';
    expect(subjects(host)).toEqual([
      `different sysctl net.ipv4.conf.fg-eeeeeeeeeee.proxy_arp=1 in ${FIP_NS}`,
      `different sysctl net.ipv4.ip_forward=1 in ${ROUTER}`,
      `different arp 203.0.113.11 lladdr fa:16:3e:00:01:11 dev qr-aaaaaaaaaaa in ${ROUTER}`,
      `extra arp 203.0.113.99 lladdr fa:16:3e:00:00:99 dev qr-aaaaaaaaaaa in ${ROUTER}`,
      `missing address 192.0.2.170/32 dev rfp-5b1f0c2a9d3 in ${ROUTER}`,
      `extra address 192.0.2.171/32 dev rfp-5b1f0c2a9d3 in ${ROUTER}`,
      `missing route default via 169.254.106.115 dev rfp-5b1f0c2a9d3 table 16 in ${ROUTER}`,
      `extra rule from 203.0.113.12 table 16 priority 32764 in ${ROUTER}`,
      `extra nft rule livemig postrouting "handle 99" in ${ROUTER}`,
      `missing nft rule livemig postrouting "snat 203.0.113.11 to 192.0.2.170 via rfp-5b1f0c2a9d3" in ${ROUTER}`,
    ]);
    const cmds = lines(planNetwork(sampleState(), host, OPTIONS).commands);
    expect(cmds).toContain(`ip -n ${ROUTER} rule del from 203.0.113.12 table 16 priority 32764`);
    expect(cmds).toContain(`ip netns exec ${ROUTER} nft delete rule ip livemig postrouting handle 99`);
  });
});

describe('network planner: removals', () => {
  it('removes a floating IP with its rule, NAT, address and fip route; the fip namespace and qrouter go when no longer desired', () => {
    const state = sampleState();
    const router = state.routers[0];
    if (!router) throw new Error('fixture');
    router.floatingIps = [];
    const cmds = lines(planNetwork(state, convergedHost(), OPTIONS).commands);
    expect(cmds).toEqual([
      `ip -n ${ROUTER} addr del 192.0.2.170/32 dev rfp-5b1f0c2a9d3`,
      `ip -n ${ROUTER} rule del from 203.0.113.11 table 16 priority 32768`,
      `ip netns exec ${ROUTER} nft delete table ip livemig`,
      `ip -n ${FIP_NS} route del 192.0.2.170/32 dev fpr-5b1f0c2a9d3`,
    ]);
    const none = { ...sampleState(), routers: [], fipNamespaces: [] };
    const gone = lines(planNetwork(none, convergedHost(), OPTIONS).commands);
    expect(gone.slice(0, 2)).toEqual([`ip netns delete ${ROUTER}`, `ip netns delete ${FIP_NS}`]);
    expect(gone).toContain('nft delete table bridge livemig-dvr');
  });

  it('a DVR router that loses its last floating IP and fip link keeps no rfp, rule or NAT (the port moved away)', () => {
    const state = sampleState();
    const router = state.routers[0];
    if (!router) throw new Error('fixture');
    router.floatingIps = [];
    state.fipNamespaces = [];
    expect(lines(planNetwork(state, convergedHost(), OPTIONS).commands)).toEqual([
      `ip netns delete ${FIP_NS}`,
      `ip -n ${ROUTER} link del rfp-5b1f0c2a9d3`,
      `ip -n ${ROUTER} rule del from 203.0.113.11 table 16 priority 32768`,
      `ip netns exec ${ROUTER} nft delete table ip livemig`,
    ]);
  });

  it('deletes a network no longer desired, vxlan first, unless a foreign port is still on its bridge', () => {
    const noNetworks = { ...sampleState(), networks: [], routers: [], fipNamespaces: [] };
    const host = convergedHost();
    const refused = planNetwork(noNetworks, host, { ...OPTIONS, ownedTaps: new Set(['tapaaaaaaaaaaa']) });
    expect(refused.drift.filter((d) => d.kind === 'link')).toEqual([
      { kind: 'link', subject: 'brq1000', found: 'extra', repaired: false, error: 'not removed: vnet1 still on brq1000' },
      { kind: 'link', subject: 'vxlan-1000', found: 'extra', repaired: false, error: 'not removed: vnet1 still on brq1000' },
    ]);
    expect(lines(refused.commands).filter((c) => c.startsWith('ip link del'))).toEqual([]);
    host.host.links = host.host.links.filter((l) => l.name !== 'vnet1');
    const removed = planNetwork(noNetworks, host, { ...OPTIONS, ownedTaps: new Set(['tapaaaaaaaaaaa']) });
    expect(lines(removed.commands).filter((c) => c.startsWith('ip link del'))).toEqual(['ip link del vxlan-1000', 'ip link del brq1000']);
    // a tap livemig never made counts as foreign
    const foreignTap = planNetwork(noNetworks, host, OPTIONS);
    expect(foreignTap.drift.find((d) => d.subject === 'brq1000')).toMatchObject({
      repaired: false,
      error: 'not removed: tapaaaaaaaaaaa still on brq1000',
    });
  });

  it('never touches devices or namespaces without a livemig name', () => {
    const host = convergedHost();
    host.host.links.push(link('br-ex', 'bridge'), link('vxlan0', 'vxlan'), link('brqx', 'bridge'));
    host.namespaceNames.push('qdhcp-1', 'lm-h2', 'fipx');
    const empty = { ...sampleState(), networks: [], routers: [], fipNamespaces: [] };
    const cmds = lines(planNetwork(empty, host, { ...OPTIONS, ownedTaps: new Set(['tapaaaaaaaaaaa']) }).commands);
    for (const c of cmds) expect(c).not.toMatch(/br-ex|vxlan0|brqx|qdhcp|lm-h2|fipx/);
  });
});

describe('network planner: external network', () => {
  it('refuses floating IPs with a clear drift error when the agent has no external interface', () => {
    const plan = planNetwork(sampleState(), freshHost(), { ...OPTIONS, externalInterface: null });
    expect(plan.drift.find((d) => d.subject === `fg-eeeeeeeeeee in ${FIP_NS}`)).toEqual({
      kind: 'link',
      subject: `fg-eeeeeeeeeee in ${FIP_NS}`,
      found: 'missing',
      repaired: false,
      error: 'the agent runs without --external-interface: floating IPs and external gateways cannot be plugged',
    });
    expect(lines(plan.commands).some((c) => c.includes('macvlan'))).toBe(false);
  });

  it('legacy router: qg macvlan in the qrouter with the FIPs as /32, default route, DNAT/SNAT via qg, no DVR bridge rules', () => {
    const state = sampleState();
    const router = state.routers[0];
    if (!router) throw new Error('fixture');
    Object.assign(router, {
      distributed: false,
      dvrHostMac: null,
      externalGateway: { device: 'qg-ccccccccccc', address: '192.0.2.150', prefixLength: 25, gatewayIp: '192.0.2.129' },
    });
    state.fipNamespaces = [];
    const cmds = lines(planNetwork(state, freshHost(), OPTIONS).commands);
    for (const expected of [
      'ip link add qg-ccccccccccc link ext0 type macvlan mode bridge',
      `ip link set dev qg-ccccccccccc netns ${ROUTER}`,
      `ip -n ${ROUTER} addr add 192.0.2.150/25 dev qg-ccccccccccc`,
      `ip -n ${ROUTER} addr add 192.0.2.170/32 dev qg-ccccccccccc`,
      `ip -n ${ROUTER} route replace default via 192.0.2.129 dev qg-ccccccccccc`,
      `ip netns exec ${ROUTER} nft add rule ip livemig postrouting oifname "qg-ccccccccccc" ip saddr 203.0.113.11 snat to 192.0.2.170 comment "snat 203.0.113.11 to 192.0.2.170 via qg-ccccccccccc"`,
      `ip netns exec ${ROUTER} arping -q -U -c 3 -I qg-ccccccccccc -s 192.0.2.170 192.0.2.170`,
    ]) {
      expect(cmds).toContain(expected);
    }
    expect(cmds.some((c) => c.includes('livemig-dvr'))).toBe(false);
  });
});
