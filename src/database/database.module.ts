import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Transactions } from '../common/repositories/transactions';
import { LIVEMIG_CONFIG, type LivemigConfig } from '../config/livemig-config';
import { dataSourceOptions } from './data-source-options';
import { runMigrations } from './run-migrations';

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
        const dataSource = await new DataSource(options).initialize();
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
