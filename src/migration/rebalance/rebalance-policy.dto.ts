import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsCronExpression } from './cron-expression.validator';
import { REBALANCE_MODES, type RebalanceMode } from './rebalance-policy.entity';

const METRICS = ['cpu', 'ram'] as const;
const GOAL_KINDS = ['threshold', 'stddev'] as const;
const MAX_COOLDOWN_SEC = 30 * 24 * 3600;

export class RebalanceGoalDto {
  @ApiProperty({
    enum: GOAL_KINDS,
    description: 'threshold: relieve every host above value; stddev: bring the stddev of host utilisation down to value',
  })
  @IsIn(GOAL_KINDS)
  kind!: (typeof GOAL_KINDS)[number];

  @ApiProperty({ minimum: 0, maximum: 1, example: 0.7, description: 'utilisation as a fraction of the host (0..1)' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  value!: number;
}

export class CreateRebalancePolicyDto {
  @ApiProperty({ example: 'ram-spread' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{0,62}$/, { message: 'name must be 1-63 lower-case letters, digits, dot, dash or underscore' })
  name!: string;

  @ApiProperty({ enum: METRICS })
  @IsIn(METRICS)
  metric!: (typeof METRICS)[number];

  @ApiProperty({ type: RebalanceGoalDto })
  @ValidateNested()
  @Type(() => RebalanceGoalDto)
  goal!: RebalanceGoalDto;

  @ApiProperty({ example: '0 */15 * * * *', description: 'when the policy runs: 5 cron fields, or 6 with seconds first' })
  @IsCronExpression()
  cron!: string;

  @ApiProperty({ minimum: 1, maximum: 100 })
  @IsInt()
  @Min(1)
  @Max(100)
  maxMigrationsPerRun!: number;

  @ApiProperty({ minimum: 0, maximum: MAX_COOLDOWN_SEC, description: 'an instance migrated less than this long ago is not moved' })
  @IsInt()
  @Min(0)
  @Max(MAX_COOLDOWN_SEC)
  cooldownSec!: number;

  @ApiProperty({ enum: REBALANCE_MODES, description: 'dry-run records the chosen moves only; execute migrates' })
  @IsIn(REBALANCE_MODES)
  mode!: RebalanceMode;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateRebalancePolicyDto extends PartialType(CreateRebalancePolicyDto) {}
