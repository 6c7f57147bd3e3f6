import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MigrationLinkInfo } from '../../agent-api';
import { PROCESS_RUNNER, type ProcessRunner } from '../../../common/process/process-runner';
import { rootShaperBitsPerSec, sysfsSpeedBitsPerSec } from './tc-rate';

const TC_TIMEOUT_MS = 5000;

/** Reads an interface's speed (sysfs) and its tc shaper, which is what a migration over it can get. */
@Injectable()
export class LinksService {
  constructor(@Inject(PROCESS_RUNNER) private readonly runner: ProcessRunner) {}

  /** `name` is validated by the controller. */
  async link(name: string): Promise<MigrationLinkInfo> {
    const speed = await readFile(join('/sys/class/net', name, 'speed'), 'utf8').catch((err: NodeJS.ErrnoException) => {
      // EINVAL: the interface exists but its driver has no speed; ENOENT: no such interface.
      if (err.code === 'ENOENT') throw new NotFoundException(`no interface ${name}`);
      return '';
    });
    const tc = await this.runner.run('tc', ['-j', 'qdisc', 'show', 'dev', name], { timeoutMs: TC_TIMEOUT_MS });
    return {
      interface: name,
      speedBitsPerSec: sysfsSpeedBitsPerSec(speed),
      shapedRateBitsPerSec: tc.exitCode === 0 ? rootShaperBitsPerSec(tc.stdout) : null,
    };
  }
}
