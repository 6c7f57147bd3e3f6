import { describe, expect, it } from 'vitest';
import { alreadyGone, confirmDrift, executePlan } from '../../../src/agents/agent/network/network-executor';
import { PlanBuilder } from '../../../src/agents/agent/network/network-plan';
import { FakeProcessRunner } from '../../../src/common/process/fake-process-runner';

describe('network executor', () => {
  it('runs changes in order; a failing command stops its own change only and says why', async () => {
    const b = new PlanBuilder();
    b.change('link', 'brq1000', 'missing', [
      ['ip', 'link', 'add', 'brq1000', 'type', 'bridge'],
      ['ip', 'link', 'set', 'dev', 'brq1000', 'up'],
    ]);
    b.change('fdb', 'x', 'missing', [['bridge', 'fdb', 'append', '00:00:00:00:00:00', 'dev', 'vxlan-1000', 'dst', '198.51.100.132']]);
    b.announce([['arping', '-U', '-c', '3', '-I', 'fg-x', '-s', '192.0.2.170', '192.0.2.170']]);
    const runner = new FakeProcessRunner().whenRun((cmd, args) =>
      cmd === 'ip' && args[1] === 'add' ? { exitCode: 2, stderr: 'RTNETLINK answers: File exists\n' } : undefined,
    );
    const result = await executePlan(runner, b.build());
    expect(result.commands).toEqual([
      'ip link add brq1000 type bridge',
      'bridge fdb append 00:00:00:00:00:00 dev vxlan-1000 dst 198.51.100.132',
      'arping -U -c 3 -I fg-x -s 192.0.2.170 192.0.2.170',
    ]);
    // The announcement is started, not waited for.
    expect(runner.calls.filter((c) => c.command === 'arping').map((c) => c.kind)).toEqual(['start']);
    expect(result.drift).toEqual([
      {
        kind: 'link',
        subject: 'brq1000',
        found: 'missing',
        repaired: false,
        error: 'ip link add brq1000 type bridge: RTNETLINK answers: File exists',
      },
      { kind: 'fdb', subject: 'x', found: 'missing', repaired: true },
    ]);
  });

  it('counts deleting a device or namespace that already vanished as done', () => {
    expect(alreadyGone(['ip', 'link', 'del', 'tap0'], 'Cannot find device "tap0"')).toBe(true);
    expect(alreadyGone(['ip', '-n', 'qrouter-1', 'link', 'del', 'qr-1'], 'Cannot find device "qr-1"')).toBe(true);
    expect(alreadyGone(['ip', 'link', 'add', 'tap0', 'type', 'veth'], 'Cannot find device "tap0"')).toBe(false);
    expect(
      alreadyGone(['bridge', 'fdb', 'del', 'aa:bb:cc:dd:ee:ff', 'dev', 'vxlan-1'], 'RTNETLINK answers: No such file or directory'),
    ).toBe(false);
  });

  it('turns drift still found after the apply into a failure, and adds drift that appeared', () => {
    const applied = [
      { kind: 'fdb', subject: 'a', found: 'missing' as const, repaired: true },
      { kind: 'link', subject: 'b', found: 'missing' as const, repaired: true },
    ];
    expect(
      confirmDrift(applied, [
        { kind: 'link', subject: 'b', found: 'missing', repaired: true },
        { kind: 'arp', subject: 'c', found: 'missing', repaired: true },
      ]),
    ).toEqual([
      { kind: 'fdb', subject: 'a', found: 'missing', repaired: true },
      { kind: 'link', subject: 'b', found: 'missing', repaired: false, error: 'still differs after the apply' },
      { kind: 'arp', subject: 'c', found: 'missing', repaired: false, error: 'found when checking the apply' },
    ]);
  });
});
