import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Transactions } from '../common/repositories/transactions';
import { LIVEMIG_CONFIG, type LivemigConfig } from '../config/livemig-config';
import { dataSourceOptions } from './data-source-options';
import { runMigrations } from './run-migrations';
import { acquireSqliteProcessLock } from './sqlite-process-lock';

/** The data source, and `Transactions` for every module's services. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [LIVEMIG_CONFIG],
      // A database that is still starting gets a few tries; a broken migration fails fast enough.
      useFactory: (config: LivemigConfig) => ({ ...dataSourceOptions(config.database), retryAttempts: 3, retryDelay: 1000 }),
      dataSourceFactory: async (options) => {
        if (!options) throw new Error('no database options');
        // Refused before anything opens the file: a second process on one SQLite file is not a replica.
        const releaseLock = options.type === 'better-sqlite3' ? acquireSqliteProcessLock(String(options.database)) : null;
        const dataSource = await new DataSource(options).initialize();
        if (releaseLock) {
          const destroy = dataSource.destroy.bind(dataSource);
          dataSource.destroy = async () => {
            await destroy();
            releaseLock();
          };
        }
        const applied = await runMigrations(dataSource);
        const logger = new Logger('Database');
        logger.log(`${dataSource.options.type} ready; migrations applied now: ${applied.map((m) => m.name).join(', ') || 'none'}`);
        return dataSource;
      },
    }),
  ],
  providers: [Transactions],
  exports: [Transactions],
})
export class DatabaseModule {}
