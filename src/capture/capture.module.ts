import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { MigrationCaptureService } from './migration-capture.service';

@Module({
  imports: [AgentsModule],
  providers: [MigrationCaptureService],
  exports: [MigrationCaptureService],
})
export class CaptureModule {}
