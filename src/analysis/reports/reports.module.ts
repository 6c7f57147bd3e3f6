import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LiveMigrationEntity } from '../../migration/records/live-migration.entity';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

@Module({
  imports: [TypeOrmModule.forFeature([LiveMigrationEntity])],
  controllers: [ReportsController],
  providers: [ReportsService],
})
export class ReportsModule {}
