import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIP, IsOptional, IsUUID, ValidateIf } from 'class-validator';
import { PageQueryDto, pageDtoOf } from '../../common/http/page';
import { NetworkSyncReportDto } from '../sync/network-sync.dto';

export class CreateFloatingIpDto {
  @ApiProperty({ format: 'uuid', description: 'an external network' })
  @IsUUID()
  networkId!: string;

  @ApiPropertyOptional({ example: '203.0.113.50', description: "allocated from the external subnet's pool when omitted" })
  @IsOptional()
  @IsIP(4, { message: 'address must be an IPv4 address' })
  address?: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'a compute port to associate right away' })
  @IsOptional()
  @IsUUID()
  portId?: string | null;
}

export class UpdateFloatingIpDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'associate with this compute port, or null to dissociate' })
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  portId!: string | null;
}

export class FloatingIpDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  networkId!: string;

  @ApiProperty()
  address!: string;

  @ApiProperty({ nullable: true, type: String, format: 'uuid' })
  portId!: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'the router that NATs it' })
  routerId!: string | null;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;
}

export class FloatingIpChangeDto extends FloatingIpDto {
  @ApiProperty({ type: NetworkSyncReportDto })
  sync!: NetworkSyncReportDto;
}

export class FloatingIpQueryDto extends PageQueryDto {}

export class FloatingIpPageDto extends pageDtoOf(FloatingIpDto) {}
