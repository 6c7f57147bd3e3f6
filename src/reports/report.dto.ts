import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsUUID } from 'class-validator';

export const FLAVOR_REPORT_FORMATS = ['json', 'csv', 'table', 'table3'] as const;
export type FlavorReportFormat = (typeof FLAVOR_REPORT_FORMATS)[number];

export class FlavorReportQueryDto {
  @ApiPropertyOptional({ description: 'migrations finished at or after (ISO 8601)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'from must be an ISO 8601 date' })
  from?: Date;

  @ApiPropertyOptional({ description: 'migrations finished at or before (ISO 8601)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'to must be an ISO 8601 date' })
  to?: Date;

  @ApiPropertyOptional({ format: 'uuid', description: 'source or destination host' })
  @IsOptional()
  @IsUUID('all')
  host?: string;

  @ApiPropertyOptional({
    enum: FLAVOR_REPORT_FORMATS,
    default: 'json',
    description: 'table3 prints the thesis table: flavor, loss, avg RTT, downtime',
  })
  @IsOptional()
  @IsIn(FLAVOR_REPORT_FORMATS)
  format?: FlavorReportFormat;
}
