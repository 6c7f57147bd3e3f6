// Files and directories the controller creates (the SQLite file, captures, uploads, the key file) are
// its own: 0600 and 0700.
process.umask(0o077);
import 'reflect-metadata';
import { bootstrap } from './bootstrap';

bootstrap().catch((err: unknown) => {
  process.stderr.write(`livemig: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
