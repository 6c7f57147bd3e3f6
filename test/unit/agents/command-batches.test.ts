import { describe, expect, it } from 'vitest';
import { batchCommands, failedLines } from '../../../src/agents/agent/network/command-batches';
import { PlanBuilder } from '../../../src/agents/agent/network/network-plan';
import { switchoverDelta } from '../../../src/agents/agent/network/switchover-delta';

describe('command batches', () => {
  it('joins runs of one tool in one namespace into a script on stdin, keeping the order', () => {
    const batches = batchCommands([
      ['ip', '-n', 'qrouter-1', 'addr', 'add', '192.0.2.170/32', 'dev', 'rfp-1'],
      ['ip', '-n', 'qrouter-1', 'rule', 'add', 'from', '10.0.0.2', 'table', '16'],
      ['bridge', 'fdb', 'replace', 'fa:16:3e:00:00:01', 'dev', 'vxlan-1000', 'dst', '198.51.100.12'],
      ['bridge', 'fdb', 'del', 'fa:16:3e:00:00:02', 'dev', 'vxlan-1000'],
      [
        'ip',
        'netns',
        'exec',
        'qrouter-1',
        'nft',
        'add',
        'rule',
        'ip',
        'livemig',
        'prerouting',
        'ip',
        'daddr',
        '192.0.2.170',
        'dnat',
        'to',
        '10.0.0.2',
      ],
      ['ip', 'netns', 'exec', 'qrouter-1', 'nft', 'delete', 'rule', 'ip', 'livemig', 'prerouting', 'handle', '7'],
      ['ip', '-n', 'fip-1', 'route', 'replace', '192.0.2.170/32', 'via', '169.254.106.1', 'dev', 'fpr-1'],
    ]);
    expect(batches.map((b) => [b.argv.join(' '), b.input])).toEqual([
      ['ip -n qrouter-1 -force -batch -', 'addr add 192.0.2.170/32 dev rfp-1\nrule add from 10.0.0.2 table 16\n'],
      [
        'bridge -force -batch -',
        'fdb replace fa:16:3e:00:00:01 dev vxlan-1000 dst 198.51.100.12\nfdb del fa:16:3e:00:00:02 dev vxlan-1000\n',
      ],
      [
        'ip netns exec qrouter-1 nft -f -',
        'add rule ip livemig prerouting ip daddr 192.0.2.170 dnat to 10.0.0.2\ndelete rule ip livemig prerouting handle 7\n',
      ],
      // A lone command stays a plain process.
      ['ip -n fip-1 route replace 192.0.2.170/32 via 169.254.106.1 dev fpr-1', undefined],
    ]);
  });

  it('never batches what a script line would change: options, namespace commands, blanks or quotes in a word', () => {
    const single = [
      ['ip', '-j', 'addr', 'show'],
      ['ip', 'netns', 'add', 'qrouter-1'],
      ['ip', '-n', 'x', 'link', 'set', 'dev', 'a b', 'up'],
      ['ip', '-n', 'x', 'link', 'set', 'dev', '#c', 'up'],
      ['sysctl', '-w', 'net.ipv4.ip_forward=1'],
    ];
    const batches = batchCommands([...single, ...single]);
    expect(batches.every((b) => b.input === undefined)).toBe(true);
    expect(batches).toHaveLength(10);
  });

  it("maps ip's failed script lines back to their commands; a failed nft script fails all of it", () => {
    const [ip] = batchCommands([
      ['ip', '-n', 'a', 'addr', 'add', '192.0.2.1/32', 'dev', 'x'],
      ['ip', '-n', 'a', 'addr', 'add', '192.0.2.2/32', 'dev', 'x'],
      ['ip', '-n', 'a', 'addr', 'add', '192.0.2.3/32', 'dev', 'x'],
    ]);
    expect(failedLines(ip, 'RTNETLINK answers: File exists\nCommand failed -:2\n')).toEqual([
      ['ip', '-n', 'a', 'addr', 'add', '192.0.2.2/32', 'dev', 'x'],
    ]);
    const [nft] = batchCommands([
      ['ip', 'netns', 'exec', 'a', 'nft', 'add', 'table', 'ip', 't'],
      ['ip', 'netns', 'exec', 'a', 'nft', 'add', 'chain', 'ip', 't', 'c'],
    ]);
    expect(failedLines(nft, 'Error: syntax error')).toHaveLength(2);
  });
});

describe('switchover delta', () => {
  it('runs additions and flips first, removals last, and keeps gratuitous ARPs for after the batches', () => {
    const b = new PlanBuilder();
    b.change('route', '192.0.2.9/32 in fip-1', 'extra', [['ip', '-n', 'fip-1', 'route', 'del', '192.0.2.9/32', 'dev', 'fpr-1']]);
    b.change('fdb', 'fa:16:3e:00:00:01', 'different', [
      ['bridge', 'fdb', 'replace', 'fa:16:3e:00:00:01', 'dev', 'vxlan-1000', 'dst', '198.51.100.12'],
    ]);
    b.change('route', '192.0.2.170/32 in fip-1', 'missing', [
      ['ip', '-n', 'fip-1', 'route', 'replace', '192.0.2.170/32', 'via', '169.254.106.1', 'dev', 'fpr-1'],
    ]);
    b.announce([['ip', 'netns', 'exec', 'fip-1', 'arping', '-q', '-U', '-c', '3', '-I', 'fg-1', '-s', '192.0.2.170', '192.0.2.170']]);
    const delta = switchoverDelta(b.build());
    expect(delta.commands.map((c) => c.join(' '))).toEqual([
      'bridge fdb replace fa:16:3e:00:00:01 dev vxlan-1000 dst 198.51.100.12',
      'ip -n fip-1 route replace 192.0.2.170/32 via 169.254.106.1 dev fpr-1',
      'ip -n fip-1 route del 192.0.2.9/32 dev fpr-1',
    ]);
    expect(delta.batches.map((x) => x.argv[0])).toEqual(['bridge', 'ip']);
    expect(delta.batches[1]?.input).toBe('route replace 192.0.2.170/32 via 169.254.106.1 dev fpr-1\nroute del 192.0.2.9/32 dev fpr-1\n');
    expect(delta.announcements).toHaveLength(1);
  });
});
