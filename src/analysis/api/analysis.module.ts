import { Module } from '@nestjs/common';
import { AnalysesController } from './analyses.controller';
import { AnalysesService } from './analyses.service';

// POST /analyses: uploads are spooled to disk unparsed and analyzed as byte ranges in worker threads, so the
// API's memory and event loop stay free whatever the captures hold.
@Module({
  controllers: [AnalysesController],
  providers: [AnalysesService],
})
export class AnalysisModule {}
