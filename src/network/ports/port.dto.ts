import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsIP, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQueryDto, pageDtoOf } from '../../common/http/page';
import { BINDING_STATUSES, DEVICE_OWNERS, type BindingStatus, type DeviceOwner } from '../core/network-model';
import { NetworkSyncReportDto } from '../sync/network-sync.dto';
import { IsUnicastMac } from '../validation';

export class CreatePortDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  subnetId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: "defaults to the subnet's network; must match it" })
  @IsOptional()
  @IsUUID()
  networkId?: string;

  @ApiPropertyOptional({ example: 'fa:16:3e:12:34:56', description: 'generated (fa:16:3e:…) when omitted; unique' })
  @IsOptional()
  @IsUnicastMac()
  mac?: string;

  @ApiPropertyOptional({ example: '10.0.0.11', description: "allocated from the subnet's pool when omitted; unique per subnet" })
  @IsOptional()
  @IsIP(4, { message: 'fixedIp must be an IPv4 address' })
  fixedIp?: string;

  @ApiPropertyOptional({ enum: ['compute'], default: 'compute', description: 'router and fip-gateway ports are made by their routes' })
  @IsOptional()
  @IsIn(['compute'], { message: 'deviceOwner: only compute ports are created directly; router ports come from /routers' })
  deviceOwner?: DeviceOwner;

  @ApiPropertyOptional({ example: '3f1f7e38-27b3-4d5a-9a64-2f4f1d9b8c11', description: 'the instance id for compute ports' })
  @IsOptional()
  @IsString()
  @Length(1, 36)
  deviceId?: string;

  @ApiPropertyOptional({ example: 'compute-a', description: 'host (id or name) for an ACTIVE binding right away' })
  @IsOptional()
  @IsString()
  @Length(1, 63)
  host?: string;
}

export class PortQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  networkId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  deviceId?: string;

  @ApiPropertyOptional({ enum: DEVICE_OWNERS })
  @IsOptional()
  @IsIn(DEVICE_OWNERS)
  deviceOwner?: DeviceOwner;
}

export class CreateBindingDto {
  @ApiProperty({ example: 'compute-b', description: 'host id or name' })
  @IsString()
  @Length(1, 63)
  host!: string;
}

export class PortBindingDto {
  @ApiProperty({ example: 'compute-b' })
  host!: string;

  @ApiProperty({ format: 'uuid' })
  hostId!: string;

  @ApiProperty({ enum: BINDING_STATUSES })
  status!: BindingStatus;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { bridge: 'brq1000' } })
  vifDetails!: Record<string, unknown>;
}

export class PortDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  networkId!: string;

  @ApiProperty({ format: 'uuid' })
  subnetId!: string;

  @ApiProperty()
  mac!: string;

  @ApiProperty()
  fixedIp!: string;

  @ApiProperty({ enum: DEVICE_OWNERS })
  deviceOwner!: DeviceOwner;

  @ApiProperty({ nullable: true, type: String })
  deviceId!: string | null;

  @ApiProperty({ type: [PortBindingDto] })
  bindings!: PortBindingDto[];

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;
}

export class PortChangeDto extends PortDto {
  @ApiProperty({ type: NetworkSyncReportDto })
  sync!: NetworkSyncReportDto;
}

export class PortBindingChangeDto extends PortBindingDto {
  @ApiProperty({ type: NetworkSyncReportDto })
  sync!: NetworkSyncReportDto;
}

export class PortPageDto extends pageDtoOf(PortDto) {}

/** `/ports/:id/bindings/:host`: the port and the host (id or name) of one of its bindings. */
export class PortBindingParamsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;

  @ApiProperty({ example: 'compute-b', description: 'host id or name' })
  @IsString()
  @Length(1, 63)
  host!: string;
}
