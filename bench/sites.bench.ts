// bench:sites — the MTU budget of each cross-site stack (pure), then, as root, the site link on the wire:
// the DF-ping proof, the measured outer packet size and TCP goodput over the stretched network.
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import { mtuBudget } from '../src/network/core/mtu-budget';
import type { MtuLayer } from '../src/network/core/mtu-layers';
import { dfPing, siteLinkUp, wanPacketsOfPing } from '../lab/sites/site-link';

const eth: MtuLayer = { kind: 'ethernet' };
const tag: MtuLayer = { kind: 'vlan' };
const vxlan: MtuLayer = { kind: 'vxlan', outer: 'ipv4' };
const gcm = 'aes-gcm-128' as const;

const STACKS: [string, MtuLayer[]][] = [
  ['VXLAN (OpenStack 1450)', [eth, vxlan]],
  ['VXLAN + inner VLAN tag (study: 54)', [eth, tag, vxlan]],
  ['VXLAN over IPv6', [eth, { kind: 'vxlan', outer: 'ipv6' }]],
  ['GRE (IP inside)', [{ kind: 'gre', outer: 'ipv4' }]],
  ['gretap with key + inner VLAN tag (study: 46)', [eth, tag, { kind: 'gre', outer: 'ipv4', key: true }]],
  ['Geneve, OVN option (1442)', [eth, { kind: 'geneve', outer: 'ipv4', optionsBytes: 8 }]],
  ['VXLAN + ESP transport AES-GCM (study: 1416)', [eth, vxlan, { kind: 'esp', mode: 'transport', cipher: gcm }]],
  ['VXLAN + ESP tunnel NAT-T AES-GCM', [eth, vxlan, { kind: 'esp', mode: 'tunnel', cipher: gcm, natTraversal: true }]],
  [
    'VXLAN+tag + ESP tunnel NAT-T AES-GCM (study: 1384)',
    [eth, tag, vxlan, { kind: 'esp', mode: 'tunnel', cipher: gcm, natTraversal: true }],
  ],
  ['VXLAN + ESP transport AES-CBC/HMAC-SHA1', [eth, vxlan, { kind: 'esp', mode: 'transport', cipher: 'aes-cbc-hmac-sha1' }]],
  ['VXLAN + ESP transport AES-CBC/HMAC-SHA256', [eth, vxlan, { kind: 'esp', mode: 'transport', cipher: 'aes-cbc-hmac-sha256' }]],
  ['VXLAN + WireGuard over IPv4', [eth, vxlan, { kind: 'wireguard', outer: 'ipv4' }]],
  ['VXLAN + WireGuard over IPv6', [eth, vxlan, { kind: 'wireguard', outer: 'ipv6' }]],
  ['VXLAN in a VXLAN site tunnel (the lab)', [eth, vxlan, eth, vxlan]],
];

function printTable(): void {
  console.log('MTU budget per stack on a 1500-byte underlay (bytes; per layer innermost first, padding at the largest packet)');
  const rows = STACKS.map(([name, stack]) => {
    const b = mtuBudget({ stack, underlayMtuBytes: 1500 });
    const layers = b.layers.map((l) =>
      l.minOverheadBytes === l.maxOverheadBytes ? `${l.overheadBytes}` : `${l.overheadBytes} (${l.minOverheadBytes}-${l.maxOverheadBytes})`,
    );
    return [
      name,
      String(b.overheadBytes),
      String(b.worstCaseOverheadBytes),
      String(b.largestGuestMtuBytes),
      String(b.tcpMssBytes),
      layers.join(' + '),
    ];
  });
  const header = ['stack', 'overhead', 'worst case', 'guest MTU', 'TCP MSS', 'per layer'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  for (const row of [header, ...rows])
    console.log(row.map((cell, i) => (i === 0 || i === 5 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '));
}

async function measure(): Promise<void> {
  const wanRateMbit = Number(process.env.LIVEMIG_SITE_WAN_MBIT ?? 1000);
  const link = await siteLinkUp({ suffix: `b${process.pid % 100_000}`, wanRateMbit });
  try {
    const [a, b] = link.endpoints;
    const largest = link.budget.largestGuestMtuBytes;
    console.log(
      `\nOn the wire (lab site link: VXLAN in a VXLAN site tunnel, WAN veth 1500, tbf ${wanRateMbit} Mbit/s, no delay: no sch_netem here)`,
    );
    console.log(
      `  DF ping ${largest} B: ${(await dfPing(a.netns, b.ip, largest)) ? 'passes' : 'LOST'}; ${largest + 1} B: ${(await dfPing(a.netns, b.ip, largest + 1)) ? 'PASSES' : 'lost'}`,
    );
    const packets = await wanPacketsOfPing(link, largest);
    const outer = packets[0]?.outerBytes;
    console.log(
      `  a ${largest}-byte guest packet is ${outer ?? '?'} bytes on the WAN (DF ${packets[0]?.df ? 'set' : 'not set'}): measured overhead ${outer ? outer - largest : '?'} B, budget ${link.budget.overheadBytes} B`,
    );
    const bytes = 128 * 1024 * 1024;
    const sink = execa('ip', ['netns', 'exec', b.netns, 'socat', '-u', 'TCP-LISTEN:5001,reuseaddr', 'OPEN:/dev/null'], { reject: false });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const start = performance.now();
    await execa('ip', ['netns', 'exec', a.netns, 'sh', '-c', `head -c ${bytes} /dev/zero | socat -u - TCP:${b.ip}:5001`]);
    const seconds = (performance.now() - start) / 1000;
    await sink;
    console.log(
      `  TCP goodput over the stretched network: ${((bytes * 8) / seconds / 1e6).toFixed(0)} Mbit/s (${bytes / 1024 / 1024} MiB in ${seconds.toFixed(2)} s; MSS ${link.budget.tcpMssBytes})`,
    );
  } finally {
    await link.down();
  }
  console.log('\nCross-site migration: not measured (the controller does not migrate across sites yet).');
}

async function main(): Promise<void> {
  printTable();
  if (process.getuid?.() === 0 && process.env.LIVEMIG_SITES_WIRE !== '0') await measure();
  else console.log('\n(on the wire: run as root)');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
