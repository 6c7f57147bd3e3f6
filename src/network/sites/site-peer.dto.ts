import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsIP, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateIf } from 'class-validator';
import { PageQueryDto, pageDtoOf } from '../../common/http/page';
import { ESP_CIPHER_NAMES, type EspCipher, type EspMode, type OuterIp } from '../core/mtu-layers';
import { SITE_ENCRYPTIONS, type SiteEncryption } from '../core/mtu-site-stack';

const OUTER_FAMILIES: OuterIp[] = ['ipv4', 'ipv6'];
const ESP_MODES: EspMode[] = ['transport', 'tunnel'];

export class CreateSitePeerDto {
  @ApiProperty({ example: 'site-b' })
  @IsString()
  @Length(1, 63)
  name!: string;

  @ApiProperty({ example: '203.0.113.1', description: "this site's gateway address on the site link" })
  @IsIP()
  localGatewayIp!: string;

  @ApiProperty({ example: '203.0.113.2', description: "the peer's gateway address on the site link" })
  @IsIP()
  remoteGatewayIp!: string;

  @ApiPropertyOptional({ default: 1500, minimum: 1280, maximum: 9216, description: 'IP MTU of the site link (the WAN path)' })
  @IsOptional()
  @IsInt()
  @Min(1280)
  @Max(9216)
  underlayMtuBytes?: number;

  @ApiPropertyOptional({ enum: OUTER_FAMILIES, default: 'ipv4', description: 'IP family of the VXLAN and tunnel headers' })
  @IsOptional()
  @IsIn(OUTER_FAMILIES)
  outerFamily?: OuterIp;

  @ApiProperty({ enum: SITE_ENCRYPTIONS, description: 'IPsec ESP, WireGuard, or none (a trusted link)' })
  @IsIn(SITE_ENCRYPTIONS)
  encryption!: SiteEncryption;

  @ApiPropertyOptional({ enum: ESP_MODES, nullable: true, description: 'IPsec: transport by default, tunnel when a site is behind NAT' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsIn(ESP_MODES)
  espMode?: EspMode | null;

  @ApiPropertyOptional({ enum: ESP_CIPHER_NAMES, nullable: true, description: 'IPsec: aes-gcm-128 by default' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsIn(ESP_CIPHER_NAMES)
  espCipher?: EspCipher | null;

  @ApiPropertyOptional({ default: false, description: 'IPsec: ESP in UDP port 4500 (RFC 3948)' })
  @IsOptional()
  @IsBoolean()
  natTraversal?: boolean;

  @ApiPropertyOptional({ nullable: true, minimum: 1, maximum: 400000, example: 1000 })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsInt()
  @Min(1)
  @Max(400_000)
  linkBandwidthMbps?: number | null;
}

export class UpdateSitePeerDto extends PartialType(CreateSitePeerDto) {}

export class MtuLayerOverheadDto {
  @ApiProperty({ example: 'VXLAN over ipv4' }) description!: string;
  @ApiProperty({ description: 'bytes added to a packet of the largest guest MTU' }) overheadBytes!: number;
  @ApiProperty() paddingBytes!: number;
  @ApiProperty() minOverheadBytes!: number;
  @ApiProperty() maxOverheadBytes!: number;
}

export class MtuBudgetDto {
  @ApiProperty() underlayMtuBytes!: number;
  @ApiProperty({ description: 'the largest guest MTU that crosses without fragmentation' }) largestGuestMtuBytes!: number;
  @ApiProperty() overheadBytes!: number;
  @ApiProperty({ description: 'with every layer at its most padding' }) worstCaseOverheadBytes!: number;
  @ApiProperty({ description: 'the MSS to clamp TCP to on stretched networks' }) tcpMssBytes!: number;
  @ApiProperty({ type: [MtuLayerOverheadDto], description: 'innermost first' }) layers!: MtuLayerOverheadDto[];
}

export class SitePeerDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() localGatewayIp!: string;
  @ApiProperty() remoteGatewayIp!: string;
  @ApiProperty() underlayMtuBytes!: number;
  @ApiProperty({ enum: OUTER_FAMILIES }) outerFamily!: OuterIp;
  @ApiProperty({ enum: SITE_ENCRYPTIONS }) encryption!: SiteEncryption;
  @ApiProperty({ enum: ESP_MODES, nullable: true, type: String }) espMode!: EspMode | null;
  @ApiProperty({ enum: ESP_CIPHER_NAMES, nullable: true, type: String }) espCipher!: EspCipher | null;
  @ApiProperty() natTraversal!: boolean;
  @ApiProperty({ nullable: true, type: Number }) linkBandwidthMbps!: number | null;
  @ApiProperty({ type: MtuBudgetDto, description: 'of a network stretched over this link (untagged tenant frames)' })
  mtuBudget!: MtuBudgetDto;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
}

export class SitePeerQueryDto extends PageQueryDto {}

export class MtuBudgetQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false', description: 'the tenant frames carry an 802.1Q tag inside the VXLAN' })
  @IsOptional()
  @IsIn(['true', 'false'])
  innerVlanTag?: 'true' | 'false';
}

export class SitePeerPageDto extends pageDtoOf(SitePeerDto) {}

export class ExpandNetworkDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  networkId!: string;

  @ApiPropertyOptional({ default: false, description: 'the tenant frames carry an 802.1Q tag inside the VXLAN (4 bytes)' })
  @IsOptional()
  @IsBoolean()
  innerVlanTag?: boolean;

  @ApiPropertyOptional({
    default: false,
    description: "lower the network's MTU (what its guests get) to the budget when it is above; without it such a request is refused",
  })
  @IsOptional()
  @IsBoolean()
  lowerNetworkMtu?: boolean;
}

export class NetworkExtensionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) networkId!: string;
  @ApiProperty({ format: 'uuid' }) sitePeerId!: string;
  @ApiProperty() innerVlanTag!: boolean;
  @ApiProperty({ description: "the network's MTU, within the budget" }) networkMtuBytes!: number;
  @ApiProperty({ type: MtuBudgetDto }) mtuBudget!: MtuBudgetDto;
  @ApiProperty() createdAt!: Date;
}
