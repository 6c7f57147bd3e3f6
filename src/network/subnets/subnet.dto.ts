import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIP, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { PageQueryDto, pageDtoOf } from '../../common/http/page';
import { NetworkSyncReportDto } from '../sync/network-sync.dto';
import { IsIpv4Cidr } from '../validation';

export class AllocationPoolDto {
  @ApiProperty({ example: '10.0.0.10' })
  @IsIP(4, { message: 'allocationPool.start must be an IPv4 address' })
  start!: string;

  @ApiProperty({ example: '10.0.0.200' })
  @IsIP(4, { message: 'allocationPool.end must be an IPv4 address' })
  end!: string;
}

export class CreateSubnetDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  networkId!: string;

  @ApiProperty({ example: '10.0.0.0/24', description: 'IPv4, prefix length 1..30, host bits zero' })
  @IsIpv4Cidr()
  cidr!: string;

  @ApiPropertyOptional({ example: '10.0.0.1', description: 'the first host address when omitted; must be inside the CIDR' })
  @IsOptional()
  @IsIP(4, { message: 'gatewayIp must be an IPv4 address' })
  gatewayIp?: string;

  @ApiPropertyOptional({ type: AllocationPoolDto, description: 'every host address when omitted (the gateway is never allocated)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AllocationPoolDto)
  allocationPool?: AllocationPoolDto;
}

export class SubnetQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  networkId?: string;
}

export class SubnetDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  networkId!: string;

  @ApiProperty()
  cidr!: string;

  @ApiProperty()
  gatewayIp!: string;

  @ApiProperty()
  poolStart!: string;

  @ApiProperty()
  poolEnd!: string;

  @ApiProperty()
  createdAt!: Date;
}

export class SubnetChangeDto extends SubnetDto {
  @ApiProperty({ type: NetworkSyncReportDto })
  sync!: NetworkSyncReportDto;
}

export class SubnetPageDto extends pageDtoOf(SubnetDto) {}
