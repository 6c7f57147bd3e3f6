import { chmodSync, existsSync, statSync } from 'node:fs';
import { createApp } from './app.factory';
import { LIVEMIG_CONFIG, type LivemigConfig } from './config/livemig-config';

// Bursts of a thousand clients connecting at once overflow Node's default accept backlog (511).
const ACCEPT_BACKLOG = 4096;
// Longer than clients' and proxies' idle timeouts, so a reused keep-alive socket is never closed under a request.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Data written by earlier versions (0644 files in 0755 directories) becomes the controller's own. */
function restrictDataFiles(config: LivemigConfig): void {
  const paths = [config.dataDir, ...(config.database.type === 'sqlite' ? [config.database.path] : [])];
  for (const path of paths) {
    if (!existsSync(path)) continue;
    chmodSync(path, statSync(path).isDirectory() ? 0o700 : 0o600);
  }
}

export async function bootstrap(): Promise<void> {
  const app = await createApp();
  const config = app.get<LivemigConfig>(LIVEMIG_CONFIG);
  restrictDataFiles(config);
  await app.init();
  await new Promise<void>((resolve, reject) => {
    const server = app.getHttpServer();
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
    server.once('error', reject);
    server.listen({ port: config.port, backlog: ACCEPT_BACKLOG }, () => resolve());
  });
}
