import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { batchCommands } from '../../../src/agents/agent/network/command-batches';
import { batchNetns, PrimedSwitchover } from '../../../src/agents/agent/network/primed-switchover';
import { ExecaProcessRunner } from '../../../src/common/process/execa-process-runner';
import { FakeProcessRunner } from '../../../src/common/process/fake-process-runner';

const DELTA = [
  ['bridge', 'fdb', 'replace', 'fa:16:3e:00:00:01', 'dev', 'vxlan-1000', 'dst', '198.51.100.12'],
  ['ip', '-n', 'fip-1', 'route', 'replace', '192.0.2.170/32', 'via', '169.254.106.1', 'dev', 'fpr-1'],
  ['ip', 'netns', 'exec', 'qrouter-1', 'nft', 'delete', 'rule', 'ip', 'livemig', 'prerouting', 'handle', '7'],
];
const GARP = ['ip', 'netns', 'exec', 'fip-1', 'arping', '-q', '-U', '-c', '3', '-I', 'fg-1', '192.0.2.170'];

describe('primed switchover', () => {
  it('starts every batch when armed and only writes the scripts when fired, in order', async () => {
    const runner = new FakeProcessRunner();
    const identity = (name: string) => `id-${name}`;
    const primed = PrimedSwitchover.prime(runner, batchCommands(DELTA, { scriptSingles: true }), [GARP], identity);

    expect(runner.started.map((p) => [p.command, ...p.args].join(' '))).toEqual([
      'bridge -force -batch -',
      'ip -n fip-1 -force -batch -',
      'ip netns exec qrouter-1 nft -f -',
      `sh -c read -r line && [ "$line" = go ] && exec "$@" announce ${GARP.join(' ')}`,
    ]);
    expect(runner.calls.every((c) => c.kind === 'start' && c.openInput)).toBe(true);
    expect(runner.started.every((p) => p.input === undefined)).toBe(true);
    expect(primed.primedCount).toBe(4);

    const fired = await primed.fire(Date.now(), 1000, identity);
    expect(fired.map((b) => [b.ok, b.primed, b.lines])).toEqual([
      [true, true, 1],
      [true, true, 1],
      [true, true, 1],
    ]);
    expect(runner.started.slice(0, 3).map((p) => p.input)).toEqual([
      'fdb replace fa:16:3e:00:00:01 dev vxlan-1000 dst 198.51.100.12\n',
      'route replace 192.0.2.170/32 via 169.254.106.1 dev fpr-1\n',
      'delete rule ip livemig prerouting handle 7\n',
    ]);
    expect(runner.started[3]?.input).toBeUndefined();
    primed.announce();
    expect(runner.started[3]?.input).toBe('go\n');
    expect(runner.calls.filter((c) => c.kind === 'run')).toEqual([]);
  });

  it('runs a batch afresh when its namespace was re-created or its process died, and reports the failed line', async () => {
    const runner = new FakeProcessRunner().whenRun((command) =>
      command === 'bridge' ? { exitCode: 1, stderr: 'Command failed -:1\n' } : undefined,
    );
    let generation = 1;
    const identity = (name: string) => `${name}-${generation}`;
    const primed = PrimedSwitchover.prime(runner, batchCommands(DELTA, { scriptSingles: true }), [], identity);
    runner.started[0]?.exit({ exitCode: 1 }); // bridge died before the fire
    generation = 2; // fip-1 and qrouter-1 were deleted and added again

    const fired = await primed.fire(Date.now(), 1000, identity);
    expect(fired.map((b) => [b.command, b.ok, b.primed])).toEqual([
      ['bridge -force -batch -', false, false],
      ['ip -n fip-1 -force -batch -', true, false],
      ['ip netns exec qrouter-1 nft -f -', true, false],
    ]);
    expect(fired[0]?.error).toContain('bridge fdb replace fa:16:3e:00:00:01');
    // The stale processes never got a script: they are killed, and the commands ran from scratch.
    expect(runner.started.slice(1).map((p) => [p.input, p.signals])).toEqual([
      [undefined, ['SIGKILL']],
      [undefined, ['SIGKILL']],
    ]);
    expect(runner.calls.filter((c) => c.kind === 'run').map((c) => c.input)).toEqual([
      'fdb replace fa:16:3e:00:00:01 dev vxlan-1000 dst 198.51.100.12\n',
      'route replace 192.0.2.170/32 via 169.254.106.1 dev fpr-1\n',
      'delete rule ip livemig prerouting handle 7\n',
    ]);
  });

  it('does not prime a batch for a namespace that does not exist yet', () => {
    const runner = new FakeProcessRunner();
    const primed = PrimedSwitchover.prime(runner, batchCommands(DELTA, { scriptSingles: true }), [], (name) =>
      name === 'fip-1' ? undefined : name,
    );
    expect(runner.started.map((p) => p.command)).toEqual(['bridge', 'ip']);
    expect(primed.primedCount).toBe(2);
  });

  it('kills a batch that outlives the timeout', async () => {
    const runner = new FakeProcessRunner();
    const primed = PrimedSwitchover.prime(runner, batchCommands([DELTA[0] ?? []], { scriptSingles: true }), [], () => 'x');
    const bridge = runner.started[0];
    if (bridge) bridge.onInput = () => undefined; // hangs after its script
    const [fired] = await primed.fire(Date.now(), 20, () => 'x');
    expect(fired?.ok).toBe(false);
    expect(bridge?.signals).toEqual(['SIGKILL']);
  });

  it('names the namespace a batch process enters before reading its script', () => {
    expect(batchNetns(['ip', '-n', 'qrouter-1', '-force', '-batch', '-'])).toBe('qrouter-1');
    expect(batchNetns(['ip', 'netns', 'exec', 'fip-1', 'nft', '-f', '-'])).toBe('fip-1');
    expect(batchNetns(['bridge', '-force', '-batch', '-'])).toBeUndefined();
  });

  it('with real processes: an announcement waits for its go and a cancelled one never runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'livemig-primed-'));
    const runner = new ExecaProcessRunner();
    const go = PrimedSwitchover.prime(runner, [], [['touch', join(dir, 'fired')]], () => undefined);
    const never = PrimedSwitchover.prime(runner, [], [['touch', join(dir, 'cancelled')]], () => undefined);
    await sleep(200);
    expect(existsSync(join(dir, 'fired'))).toBe(false);
    go.announce();
    never.cancel();
    for (let i = 0; i < 100 && !existsSync(join(dir, 'fired')); i++) await sleep(20);
    expect(existsSync(join(dir, 'fired'))).toBe(true);
    await sleep(200);
    expect(existsSync(join(dir, 'cancelled'))).toBe(false);
  });

  it('with real processes: a primed script runs only when fired', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'livemig-primed-'));
    const runner = new ExecaProcessRunner();
    // `sh -s` reads its script from stdin like ip -batch does.
    const batch = { argv: ['sh', '-s'], input: `touch ${join(dir, 'batch')}\n`, commands: [['touch', join(dir, 'batch')]] };
    const primed = PrimedSwitchover.prime(runner, [batch], [], () => undefined);
    await sleep(200);
    expect(existsSync(join(dir, 'batch'))).toBe(false);
    const [fired] = await primed.fire(Date.now(), 5000, () => undefined);
    expect(fired).toMatchObject({ ok: true, primed: true });
    expect(existsSync(join(dir, 'batch'))).toBe(true);
  });
});
