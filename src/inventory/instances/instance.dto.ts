import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { IsIn, IsIP, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
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

  @ApiPropertyOptional({ example: '203.0.113.10', nullable: true, description: 'fixed IP; probes target it during migrations' })
  @IsOptional()
  @IsIP(undefined, { message: 'ipAddress must be an IPv4 or IPv6 address' })
  ipAddress?: string | null;
}

export class UpdateInstanceDto extends PartialType(PickType(CreateInstanceDto, ['state', 'hostId', 'ipAddress'] as const)) {}

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

  @ApiProperty({ nullable: true, type: String })
  declare ipAddress: string | null;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;
}

export class InstancePageDto extends pageDtoOf(InstanceDto) {}
