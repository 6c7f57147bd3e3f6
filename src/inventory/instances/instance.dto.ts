import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsDomainName } from '../../common/names';
import { PageQueryDto, pageDtoOf } from '../../common/http/page';
import { INSTANCE_STATES, type InstanceState } from './instance.entity';

export class CreateInstanceDto {
  @ApiProperty({ example: 'web-1' })
  @IsDomainName()
  name!: string;

  @ApiProperty({ example: 'instance-00000001', description: 'libvirt domain name' })
  @IsDomainName()
  domainName!: string;

  @ApiProperty({ format: 'uuid', description: 'libvirt domain UUID' })
  @IsUUID('all')
  domainUuid!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  flavorId!: string;

  @ApiProperty({ format: 'uuid', description: 'the host the instance runs on now' })
  @IsUUID('all')
  hostId!: string;

  @ApiPropertyOptional({ enum: INSTANCE_STATES, default: 'active' })
  @IsOptional()
  @IsIn(INSTANCE_STATES)
  state?: InstanceState;
}

export class UpdateInstanceDto extends PartialType(PickType(CreateInstanceDto, ['state', 'hostId'] as const)) {}

export class InstanceQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'host id or name' })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  host?: string;

  @ApiPropertyOptional({ description: 'flavor id or name' })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  flavor?: string;

  @ApiPropertyOptional({ enum: INSTANCE_STATES })
  @IsOptional()
  @IsIn(INSTANCE_STATES)
  state?: InstanceState;
}

export class InstanceDto extends CreateInstanceDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: INSTANCE_STATES })
  declare state: InstanceState;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;
}

export class InstancePageDto extends pageDtoOf(InstanceDto) {}
