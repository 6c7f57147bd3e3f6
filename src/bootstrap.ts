import { createApp } from './app.factory';
import { LIVEMIG_CONFIG, type LivemigConfig } from './config/livemig-config';

export async function bootstrap(): Promise<void> {
  const app = await createApp();
  const config = app.get<LivemigConfig>(LIVEMIG_CONFIG);
  await app.listen(config.port);
}
