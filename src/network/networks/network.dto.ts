import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsInt, IsIP, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { pageDtoOf } from '../../common/http/page';
import { NetworkSyncReportDto } from '../sync/network-sync.dto';

export class CreateNetworkDto {
  @ApiProperty({ example: 'tenant-a' })
  @IsString()
  @Length(1, 63)
  name!: string;

  @ApiProperty({ example: 1000, minimum: 1, maximum: 16777215, description: 'VXLAN network identifier, unique' })
  @IsInt()
  @Min(1)
  @Max(16_777_215)
  vni!: number;

  @ApiPropertyOptional({ example: 1450, default: 1450, minimum: 576, maximum: 9000 })
  @IsOptional()
  @IsInt()
  @Min(576)
  @Max(9000)
  mtu?: number;

  @ApiPropertyOptional({ default: false, description: 'floating IPs and router gateways come from external networks' })
  @IsOptional()
  @IsBoolean()
  external?: boolean;

  @ApiPropertyOptional({ type: [String], example: ['198.51.100.200'], description: "VTEPs outside livemig's hosts that join the segment" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(64)
  @ArrayUnique()
  @IsIP(4, { each: true, message: 'staticVteps must hold IPv4 addresses' })
  staticVteps?: string[];
}

export class UpdateNetworkDto extends PartialType(PickType(CreateNetworkDto, ['name', 'mtu', 'staticVteps'] as const)) {}

export class NetworkDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  vni!: number;

  @ApiProperty()
  mtu!: number;

  @ApiProperty()
  external!: boolean;

  @ApiProperty({ type: [String] })
  staticVteps!: string[];

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;
}

export class NetworkChangeDto extends NetworkDto {
  @ApiProperty({ type: NetworkSyncReportDto })
  sync!: NetworkSyncReportDto;
}

export class NetworkPageDto extends pageDtoOf(NetworkDto) {}
