import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { LiveMigrationsRepository } from './live-migrations.repository';
import { ReservationsRepository } from './reservations.repository';

/** The migration repositories bound to one transaction. */
export interface MigrationTransaction {
  migrations: LiveMigrationsRepository;
  reservations: ReservationsRepository;
}

/**
 * Runs a callback in one database transaction: everything it writes through the repositories it is
 * given commits together, or nothing does when it throws (the error is thrown on). Keep the callback
 * short and free of outside calls (libvirt, agents): SQLite has one connection, so the transaction
 * holds up every other query while it runs.
 */
@Injectable()
export class MigrationUnitOfWork {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(work: (tx: MigrationTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) =>
      work({ migrations: LiveMigrationsRepository.on(manager), reservations: ReservationsRepository.on(manager) }),
    );
  }
}
