import { describe, expect, it } from 'vitest';
import { CaptureStartError, TcpdumpCaptureRepository } from '../../../src/agents/agent/captures/tcpdump/capture.repository';
import { FakeProcessRunner, type FakeRunningProcess } from '../../../src/common/process/fake-process-runner';

const options = { interface: 'veth-mig', file: '/tmp/c.pcap', snaplenBytes: 128, nanosecond: true, maxSizeBytes: 1 << 20 };
const timings = { startTimeoutMs: 200, stopGraceMs: 200 };
const COUNTERS = '12 packets captured\n14 packets received by filter\n0 packets dropped by kernel\n';

function listening(p: FakeRunningProcess): void {
  p.emit('stderr', 'tcpdump: listening on veth-mig, link-type EN10MB (Ethernet), snapshot length 128 bytes\n');
  p.onKill = (signal) => {
    if (signal === 'SIGINT') p.emit('stderr', COUNTERS);
    p.exit({ signal });
  };
}

describe('TcpdumpCaptureRepository', () => {
  it('runs tcpdump with the built argument array and resolves once it listens', async () => {
    const runner = new FakeProcessRunner().whenStarted('tcpdump', listening);
    const capture = await new TcpdumpCaptureRepository(runner, timings).start(options);
    expect(runner.calls).toEqual([{ kind: 'start', command: 'tcpdump', args: expect.arrayContaining(['-i', 'veth-mig', '-U']) }]);
    expect(capture.isRunning()).toBe(true);
  });

  it("stops with SIGINT and reports tcpdump's counters", async () => {
    const runner = new FakeProcessRunner().whenStarted('tcpdump', listening);
    const capture = await new TcpdumpCaptureRepository(runner, timings).start(options);
    const result = await capture.stop();
    expect(runner.lastStarted('tcpdump')?.signals).toEqual(['SIGINT']);
    expect(result).toMatchObject({
      endedBy: 'stopped',
      stats: { packetsCaptured: 12, packetsReceivedByFilter: 14, packetsDroppedByKernel: 0 },
    });
    expect(capture.isRunning()).toBe(false);
    // A second stop is harmless and returns the same result.
    expect(await capture.stop()).toEqual(result);
  });

  it('kills tcpdump when it ignores SIGINT past the grace period', async () => {
    const runner = new FakeProcessRunner().whenStarted('tcpdump', (p) => {
      p.emit('stderr', 'tcpdump: listening on veth-mig\n');
      p.onKill = (signal) => {
        if (signal === 'SIGKILL') p.exit({ signal });
      };
    });
    const capture = await new TcpdumpCaptureRepository(runner, timings).start(options);
    const result = await capture.stop();
    expect(runner.lastStarted('tcpdump')?.signals).toEqual(['SIGINT', 'SIGKILL']);
    expect(result.endedBy).toBe('failed');
  });

  it('says when tcpdump ended by itself at the packet cap', async () => {
    const runner = new FakeProcessRunner().whenStarted('tcpdump', listening);
    const capture = await new TcpdumpCaptureRepository(runner, timings).start(options);
    const process = runner.lastStarted('tcpdump');
    process?.emit('stderr', COUNTERS);
    process?.exit({ exitCode: 0 });
    expect((await capture.ended).endedBy).toBe('packet-limit');
  });

  it("fails the start with tcpdump's reason when it exits at once", async () => {
    const runner = new FakeProcessRunner().whenStarted('tcpdump', (p) => {
      p.emit('stderr', 'tcpdump: nosuch0: No such device exists\n(SIOCGIFHWADDR: No such device)\n');
      p.exit({ exitCode: 1 });
    });
    await expect(new TcpdumpCaptureRepository(runner, timings).start({ ...options, interface: 'nosuch0' })).rejects.toThrow(
      new CaptureStartError('tcpdump: nosuch0: No such device exists'),
    );
  });

  it('fails the start and kills tcpdump when it never listens', async () => {
    const runner = new FakeProcessRunner().whenStarted('tcpdump', () => undefined);
    await expect(new TcpdumpCaptureRepository(runner, timings).start(options)).rejects.toThrow(/did not start listening within 200 ms/);
    expect(runner.lastStarted('tcpdump')?.signals).toEqual(['SIGKILL']);
  });

  it('never starts tcpdump for a hostile interface name', async () => {
    const runner = new FakeProcessRunner();
    await expect(new TcpdumpCaptureRepository(runner, timings).start({ ...options, interface: '-w/etc/passwd' })).rejects.toThrow(
      /interface name/,
    );
    expect(runner.calls).toEqual([]);
  });
});
