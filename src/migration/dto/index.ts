export { CreateMigrationDto } from './create-migration.dto';
export * from './migration.dto';
export * from './migration-response';
