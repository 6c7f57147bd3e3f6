import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller';
import { ReportRepositoriesModule } from './repositories/report-repositories.module';
import { ReportsService } from './reports.service';

@Module({
  imports: [ReportRepositoriesModule],
  controllers: [ReportsController],
  providers: [ReportsService],
})
export class ReportsModule {}
