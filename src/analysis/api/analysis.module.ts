import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LIVEMIG_CONFIG, type LivemigConfig } from '../../config/livemig-config';
import { AnalysesController } from './analyses.controller';
import { AnalysesService } from './analyses.service';

/** Form fields multer accepts beside the files (the DTO's, with room). */
const MAX_FIELDS = 16;

// POST /analyses: uploads go to disk and are analyzed as a stream in worker threads, so the API's memory and
// event loop stay free whatever the captures hold.
@Module({
  imports: [
    MulterModule.registerAsync({
      inject: [LIVEMIG_CONFIG],
      useFactory: (config: LivemigConfig) => {
        const dest = join(config.dataDir, 'uploads');
        mkdirSync(dest, { recursive: true });
        return { dest, limits: { fileSize: config.analysis.maxBytes, files: 8, fields: MAX_FIELDS } };
      },
    }),
  ],
  controllers: [AnalysesController],
  providers: [AnalysesService],
})
export class AnalysisModule {}
