import { describe, expect, it } from 'vitest';
import { ExecaProcessRunner } from '../../../src/common/process/execa-process-runner';

// The real runner against harmless programs, so the seam the agent relies on is itself checked.
const runner = new ExecaProcessRunner();

describe('ExecaProcessRunner', () => {
  it('runs an argument array without a shell', async () => {
    const result = await runner.run('printf', ['%s|', 'a b', '$(id)', ';rm']);
    expect(result).toMatchObject({ exitCode: 0, stdout: 'a b|$(id)|;rm|', timedOut: false });
  });

  it('reports a non-zero exit instead of throwing', async () => {
    const result = await runner.run('sh', ['-c', 'echo oops >&2; exit 3']);
    expect(result).toMatchObject({ exitCode: 3, stderr: 'oops\n' });
  });

  it('times out', async () => {
    const result = await runner.run('sleep', ['5'], { timeoutMs: 100 });
    expect(result.timedOut).toBe(true);
  });

  it('streams output of a started process and stops it with a signal', async () => {
    const process = runner.start('sh', ['-c', 'trap "echo bye; exit 0" INT; echo ready >&2; while :; do sleep 0.05; done']);
    await new Promise<void>((resolve) => process.onOutput((stream, text) => stream === 'stderr' && text.includes('ready') && resolve()));
    expect(process.hasExited()).toBe(false);
    process.kill('SIGINT');
    const result = await process.exited;
    expect(result.stdout).toContain('bye');
    expect(process.hasExited()).toBe(true);
  });

  it('resolves exited with the reason when the program does not exist', async () => {
    const result = await runner.start('livemig-no-such-program', []).exited;
    expect(result.exitCode).toBeUndefined();
    expect(result.stderr).toMatch(/ENOENT/);
  });
});
