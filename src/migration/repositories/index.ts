export * from './live-migrations.repository';
export * from './migration-repositories.module';
export * from './migration-unit-of-work';
export * from './reservations.repository';
export * from './migration-inventory.repository';
