import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MigrationLinkInfo } from '../../protocol';
import { PROCESS_RUNNER, type ProcessRunner } from '../../../common/process/process-runner';
import { rootShaperBitsPerSec, sysfsIsThisNamespace, sysfsSpeedBitsPerSec } from './tc-rate';

const COMMAND_TIMEOUT_MS = 5000;
const SYS_CLASS_NET = '/sys/class/net';

/** Reads an interface's tc shaper and its speed, which is what a migration over it can get. */
@Injectable()
export class LinksService {
  constructor(@Inject(PROCESS_RUNNER) private readonly runner: ProcessRunner) {}

  /** `name` is validated by the controller. Netlink says whether it exists here; sysfs only gives the speed. */
  async link(name: string): Promise<MigrationLinkInfo> {
    const shown = await this.runner.run('ip', ['-j', 'link', 'show', 'dev', name], { timeoutMs: COMMAND_TIMEOUT_MS });
    if (shown.exitCode !== 0) throw new NotFoundException(`no interface ${name}`);
    const tc = await this.runner.run('tc', ['-j', 'qdisc', 'show', 'dev', name], { timeoutMs: COMMAND_TIMEOUT_MS });
    return {
      interface: name,
      speedBitsPerSec: await this.speed(name),
      shapedRateBitsPerSec: tc.exitCode === 0 ? rootShaperBitsPerSec(tc.stdout) : null,
    };
  }

  /** From sysfs when it is this namespace's (else a same-named interface elsewhere would answer); null otherwise. */
  private async speed(name: string): Promise<number | null> {
    const all = await this.runner.run('ip', ['-j', 'link', 'show'], { timeoutMs: COMMAND_TIMEOUT_MS });
    const entries = await readdir(SYS_CLASS_NET).catch(() => [] as string[]);
    if (all.exitCode !== 0 || !sysfsIsThisNamespace(all.stdout, entries)) return null;
    // EINVAL: the driver has no speed (lo, some virtual devices).
    return sysfsSpeedBitsPerSec(await readFile(join(SYS_CLASS_NET, name, 'speed'), 'utf8').catch(() => ''));
  }
}
