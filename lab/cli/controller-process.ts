import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../paths';

export interface ControllerProcess {
  url: string;
  child: ChildProcess;
  /** SIGTERM by default; SIGKILL simulates a crash. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs the built controller (dist/src/main.js) as its own process and waits for /health. */
export async function startControllerProcess(opts: {
  port: number;
  env: Record<string, string>;
  logFile?: string;
}): Promise<ControllerProcess> {
  // Always the build, whether this runs from dist/ or from the TypeScript source under vitest.
  const main = join(projectRoot(), 'dist', 'src', 'main.js');
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, ...opts.env, PORT: String(opts.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (opts.logFile) {
    const log = createWriteStream(opts.logFile, { flags: 'a' });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  } else {
    child.stdout?.resume();
    child.stderr?.resume();
  }
  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the controller exited with code ${child.exitCode}${opts.logFile ? `; see ${opts.logFile}` : ''}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the controller did not become healthy within 60 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await once(child, 'exit');
    },
  };
}

export const controllerLogFile = (dataDir: string) => join(dataDir, 'controller.log');
