import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AnalysesController } from '../analysis/reports/analyses.controller';
import { LIVEMIG_CONFIG, type LivemigConfig } from '../config/livemig-config';
import { ReportsController } from './reports.controller';
import { ReportRepositoriesModule } from './repositories/report-repositories.module';
import { ReportsService } from './reports.service';

/** Largest capture one upload may carry. */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;

@Module({
  imports: [
    ReportRepositoriesModule,
    // Uploads go to disk and are analyzed as a stream, so memory stays flat whatever their size.
    MulterModule.registerAsync({
      inject: [LIVEMIG_CONFIG],
      useFactory: (config: LivemigConfig) => {
        const dest = join(config.dataDir, 'uploads');
        mkdirSync(dest, { recursive: true });
        return { dest, limits: { fileSize: MAX_UPLOAD_BYTES, files: 8, fields: 16 } };
      },
    }),
  ],
  controllers: [ReportsController, AnalysesController],
  providers: [ReportsService],
})
export class ReportsModule {}
