import { mtuBudget, type MtuBudget } from '../../src/network/core/mtu-budget';
import type { MtuLayer } from '../../src/network/core/mtu-layers';
import { execIn, listNetns, run } from '../exec';

// Two sites joined by a WAN link, for the cross-site tests only (the shared lab is untouched):
//
//   [lms-va-*] eth0 ─ br1000 + vx1000 [lms-ga-*] stl0 ═ wan0 ══ 198.18.220.0/30 ══ wan0 ═ stl0 [lms-gb-*] vx1000 + br1000 ─ eth0 [lms-vb-*]
//    203.0.113.1      tenant VXLAN 1000 over      site tunnel (VXLAN 9000 over the WAN)     tenant VXLAN 1000         203.0.113.2
//                     198.18.221.0/30
//
// This kernel has neither WireGuard, nor ESP (no `esp4`, no `rfc4106(gcm(aes))`), nor sch_netem: the site tunnel is
// a second VXLAN standing in for the encrypted tunnel (the same place in the stack, without the cipher), and the
// WAN is shaped in rate only (tbf). Every device MTU on the path is left at 1500 and both VXLANs set DF, so the WAN
// veth's 1500 is the one limit a packet meets: what passes is the stack's budget, not a configured MTU.
// Addresses come from the benchmarking range 198.18.0.0/15 (RFC 2544); the tenant range exists only in the namespaces.

export interface SiteLinkOptions {
  /** Makes the namespace names unique per run. */
  suffix: string;
  wanRateMbit?: number;
  underlayMtuBytes?: number;
}

export interface SiteLink {
  wanRateMbit: number;
  /** The encapsulation the tenant frames cross, innermost first, and its budget. */
  stack: MtuLayer[];
  budget: MtuBudget;
  gateways: [string, string];
  endpoints: [{ netns: string; ip: string }, { netns: string; ip: string }];
  down(): Promise<void>;
}

const WAN_IPS = ['198.18.220.1', '198.18.220.2'] as const;
const TUNNEL_IPS = ['198.18.221.1', '198.18.221.2'] as const;
const TENANT_IPS = ['203.0.113.1', '203.0.113.2'] as const;
const SITE_TUNNEL_VNI = '9000';
const SITE_TUNNEL_PORT = '4790';
const TENANT_VNI = '1000';

/** The tenant frame in VXLAN, that packet's frame in the site tunnel's VXLAN, over IPv4 on the WAN. */
export const SITE_LINK_STACK: MtuLayer[] = [
  { kind: 'ethernet' },
  { kind: 'vxlan', outer: 'ipv4' },
  { kind: 'ethernet' },
  { kind: 'vxlan', outer: 'ipv4' },
];

export async function siteLinkUp(options: SiteLinkOptions): Promise<SiteLink> {
  const wanRateMbit = options.wanRateMbit ?? 1000;
  const underlayMtuBytes = options.underlayMtuBytes ?? 1500;
  const gateways: [string, string] = [`lms-ga-${options.suffix}`, `lms-gb-${options.suffix}`];
  const endpoints: [string, string] = [`lms-va-${options.suffix}`, `lms-vb-${options.suffix}`];
  const link: SiteLink = {
    wanRateMbit,
    stack: SITE_LINK_STACK,
    budget: mtuBudget({ stack: SITE_LINK_STACK, underlayMtuBytes }),
    gateways,
    endpoints: [
      { netns: endpoints[0], ip: TENANT_IPS[0] },
      { netns: endpoints[1], ip: TENANT_IPS[1] },
    ],
    down: () => siteLinkDown([...gateways, ...endpoints]),
  };
  try {
    for (const netns of [...gateways, ...endpoints]) {
      await run(['ip', 'netns', 'add', netns]);
      await execIn(netns, ['ip', 'link', 'set', 'lo', 'up']);
    }
    await run([
      'ip',
      'link',
      'add',
      'wan0',
      'netns',
      gateways[0],
      'mtu',
      String(underlayMtuBytes),
      'type',
      'veth',
      'peer',
      'name',
      'wan0',
      'netns',
      gateways[1],
      'mtu',
      String(underlayMtuBytes),
    ]);
    for (const [i, gw] of gateways.entries()) {
      const other = 1 - i;
      const ip = (...args: string[]) => execIn(gw, ['ip', ...args]);
      await ip('addr', 'add', `${WAN_IPS[i]}/30`, 'dev', 'wan0');
      await ip('link', 'set', 'wan0', 'up');
      await execIn(gw, [
        'tc',
        'qdisc',
        'add',
        'dev',
        'wan0',
        'root',
        'tbf',
        'rate',
        `${wanRateMbit}mbit`,
        'burst',
        '256kb',
        'latency',
        '50ms',
      ]);
      // The site tunnel: carries the tenant VXLAN's IP packets between the gateways.
      await ip(
        'link',
        'add',
        'stl0',
        'mtu',
        '1500',
        'type',
        'vxlan',
        'id',
        SITE_TUNNEL_VNI,
        'local',
        WAN_IPS[i],
        'remote',
        WAN_IPS[other] ?? '',
        'dstport',
        SITE_TUNNEL_PORT,
        'df',
        'set',
      );
      await ip('addr', 'add', `${TUNNEL_IPS[i]}/30`, 'dev', 'stl0');
      await ip('link', 'set', 'stl0', 'up');
      // The tenant network, stretched: its VXLAN runs between the gateways' tunnel addresses.
      await ip(
        'link',
        'add',
        'vx1000',
        'mtu',
        '1500',
        'type',
        'vxlan',
        'id',
        TENANT_VNI,
        'local',
        TUNNEL_IPS[i],
        'remote',
        TUNNEL_IPS[other] ?? '',
        'dstport',
        '4789',
        'df',
        'set',
      );
      await ip('link', 'add', 'br1000', 'type', 'bridge');
      await ip('link', 'set', 'vx1000', 'master', 'br1000');
      await ip('link', 'add', 'tap0', 'mtu', '1500', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', endpoints[i], 'mtu', '1500');
      await ip('link', 'set', 'tap0', 'master', 'br1000');
      for (const dev of ['vx1000', 'tap0', 'br1000']) await ip('link', 'set', dev, 'up');
      await execIn(endpoints[i], ['ip', 'addr', 'add', `${TENANT_IPS[i]}/24`, 'dev', 'eth0']);
      await execIn(endpoints[i], ['ip', 'link', 'set', 'eth0', 'up']);
    }
    return link;
  } catch (err) {
    await link.down();
    throw err;
  }
}

/** Removes the namespaces (their devices go with them); idempotent. */
export async function siteLinkDown(names: readonly string[]): Promise<void> {
  const present = new Set(await listNetns());
  for (const netns of names) if (present.has(netns)) await run(['ip', 'netns', 'del', netns], { allowFailure: true });
}

/** One DF ping of an IP packet of `packetBytes` (ICMP echo: 20 + 8 + payload): did a reply come back? */
export async function dfPing(from: string, to: string, packetBytes: number): Promise<boolean> {
  const result = await execIn(from, ['ping', '-M', 'do', '-s', String(packetBytes - 28), '-c', '3', '-i', '0.2', '-w', '4', '-q', to], {
    allowFailure: true,
    timeoutMs: 10_000,
  });
  return /\b[1-9]\d* received\b/.test(result.stdout);
}

/** The outer IP packets on the WAN while one DF ping of `packetBytes` crosses: their sizes and whether DF is set. */
export async function wanPacketsOfPing(link: SiteLink, packetBytes: number): Promise<{ outerBytes: number; df: boolean }[]> {
  const [from, to] = link.endpoints;
  const capture = execIn(
    link.gateways[1],
    ['tcpdump', '-i', 'wan0', '-nn', '-v', '-l', '-c', '2', 'udp', 'dst', 'port', SITE_TUNNEL_PORT, 'and', 'greater', String(packetBytes)],
    {
      allowFailure: true,
      timeoutMs: 8_000,
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await dfPing(from.netns, to.ip, packetBytes);
  const { stdout } = await capture;
  return [...stdout.matchAll(/flags \[([^\]]*)\].*?length (\d+)\)/g)].map((m) => ({
    outerBytes: Number(m[2]),
    df: (m[1] ?? '').includes('DF'),
  }));
}
