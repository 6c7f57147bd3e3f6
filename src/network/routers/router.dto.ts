import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { PageQueryDto, pageDtoOf } from '../../common/http/page';
import { NetworkSyncReportDto } from '../sync/network-sync.dto';

export class CreateRouterDto {
  @ApiProperty({ example: 'router-a' })
  @IsString()
  @Length(1, 63)
  name!: string;

  @ApiPropertyOptional({ default: true, description: 'DVR: a qrouter on every host with a port on its subnets' })
  @IsOptional()
  @IsBoolean()
  distributed?: boolean;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'where a non-distributed router lives; required for those' })
  @IsOptional()
  @IsUUID()
  legacyHostId?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'external network of the gateway (floating IPs)' })
  @IsOptional()
  @IsUUID()
  externalNetworkId?: string | null;
}

export class UpdateRouterDto {
  @ApiPropertyOptional({ example: 'router-a' })
  @IsOptional()
  @IsString()
  @Length(1, 63)
  name?: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'null clears the gateway' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsUUID()
  externalNetworkId?: string | null;
}

export class RouterInterfaceDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  subnetId!: string;
}

export class RouterPortDto {
  @ApiProperty({ format: 'uuid' })
  portId!: string;

  @ApiProperty({ format: 'uuid' })
  subnetId!: string;

  @ApiProperty()
  ip!: string;

  @ApiProperty()
  mac!: string;
}

export class RouterDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  distributed!: boolean;

  @ApiProperty({ nullable: true, type: String, format: 'uuid' })
  legacyHostId!: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'uuid' })
  externalNetworkId!: string | null;

  @ApiProperty({ type: RouterPortDto, nullable: true, description: 'the router_gateway port on the external network' })
  gateway!: RouterPortDto | null;

  @ApiProperty({ type: [RouterPortDto], description: 'router_interface ports, one per subnet' })
  interfaces!: RouterPortDto[];

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;
}

export class RouterChangeDto extends RouterDto {
  @ApiProperty({ type: NetworkSyncReportDto })
  sync!: NetworkSyncReportDto;
}

export class RouterQueryDto extends PageQueryDto {}

export class RouterPageDto extends pageDtoOf(RouterDto) {}
