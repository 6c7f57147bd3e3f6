import { randomBytes, randomUUID } from 'node:crypto';
import { lstat, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { StorageMarker } from '../../protocol';
import { AGENT_CONFIG, type AgentConfig } from '../agent.config';
import { checkInstancesPath, isMarkerId, MARKER_DIR, markerFilePath } from './marker-path';

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

@Injectable()
export class MarkersService {
  constructor(@Inject(AGENT_CONFIG) private readonly config: AgentConfig) {}

  async create(requestedPath: string | undefined): Promise<StorageMarker> {
    const instancesPath = this.instancesPath(requestedPath);
    const root = await lstat(instancesPath).catch(() => undefined);
    if (!root?.isDirectory()) throw new ConflictException(`instances path "${instancesPath}" is not a directory on this host`);
    const dir = posix.join(instancesPath, MARKER_DIR);
    await mkdir(dir, { mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
    // A symlinked marker directory could point anywhere; refuse to follow it.
    if (!(await lstat(dir)).isDirectory()) throw new ConflictException(`"${dir}" is not a plain directory`);
    const markerId = randomUUID();
    const content = randomBytes(32).toString('hex');
    const path = markerFilePath(instancesPath, markerId);
    await writeFile(path, content, { flag: 'wx', mode: 0o600 });
    return { markerId, content, path };
  }

  async read(markerId: string, requestedPath: string | undefined): Promise<StorageMarker> {
    const path = this.markerPath(markerId, requestedPath);
    const stat = await lstat(path).catch((err: unknown) => {
      if (isMissing(err)) throw new NotFoundException(`marker ${markerId} is not visible in this host's instances path`);
      throw err;
    });
    if (!stat.isFile()) throw new ConflictException(`marker ${markerId} is not a regular file`);
    const content = await readFile(path, 'utf8');
    return { markerId, content, path };
  }

  async remove(markerId: string, requestedPath: string | undefined): Promise<void> {
    const path = this.markerPath(markerId, requestedPath);
    await unlink(path).catch((err: unknown) => {
      if (isMissing(err)) throw new NotFoundException(`marker ${markerId} does not exist`);
      throw err;
    });
  }

  private instancesPath(requested: string | undefined): string {
    const check = checkInstancesPath(requested, this.config.instancesPath);
    if (!check.ok) throw new BadRequestException(check.reason);
    return check.path;
  }

  private markerPath(markerId: string, requested: string | undefined): string {
    if (!isMarkerId(markerId)) throw new BadRequestException(`"${String(markerId)}" is not a marker id (a UUID v4)`);
    return markerFilePath(this.instancesPath(requested), markerId);
  }
}
