export * from './live-migrations.repository';
export * from './migration-repositories.module';
export * from './reservations.repository';
export * from './migration-ownership.repository';
