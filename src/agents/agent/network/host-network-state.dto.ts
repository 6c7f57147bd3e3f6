import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsIP,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import type {
  ExternalGatewayPlug,
  FdbEntry,
  FipNamespacePlug,
  FipRouterLink,
  FloatingIpPlug,
  HostNetworkState,
  NetworkPlug,
  RouterInterfacePlug,
  RouterPlacement,
  StaticArp,
} from '../../protocol';
import { IsHostName, IsInterfaceName, IsNetnsName } from '../../../common/names';

// The wire shape of HostNetworkState (PUT /v1/network). Every name reaches
// `ip`/`nft` argv, so each one is checked here; cross-field rules (prefixes,
// references) are in network-state.check.ts.

const MAC = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,54}$/;
const macMessage = {
  message: ({ property, value }: { property: string; value: unknown }) =>
    `${property}: "${String(value)}" is not a MAC address (aa:bb:cc:dd:ee:ff)`,
};
const idMessage = {
  message: ({ property, value }: { property: string; value: unknown }) =>
    `${property}: "${String(value)}" must be letters, digits and "-" (at most 55)`,
};
const ipv4 = {
  message: ({ property, value }: { property: string; value: unknown }) => `${property}: "${String(value)}" is not an IPv4 address`,
};
const LIST_MAX = 4096;

export class FdbEntryDto implements FdbEntry {
  @ApiProperty({ example: 'fa:16:3e:00:00:01' }) @Matches(MAC, macMessage) mac!: string;
  @ApiProperty({ example: '198.51.100.131' }) @IsIP(4, ipv4) vtepIp!: string;
}

export class NetworkPlugDto implements NetworkPlug {
  @ApiProperty() @IsString() @Matches(ID, idMessage) networkId!: string;
  @ApiProperty({ minimum: 1, maximum: 16_777_215 }) @IsInt() @Min(1) @Max(16_777_215) vni!: number;
  @ApiProperty({ minimum: 576, maximum: 9000 }) @IsInt() @Min(576) @Max(9000) mtu!: number;
  @ApiProperty({ example: 'brq1000' }) @IsInterfaceName() bridge!: string;
  @ApiProperty({ example: 'vxlan-1000' }) @IsInterfaceName() vxlanDevice!: string;
  @ApiProperty({ type: [String] }) @IsArray() @ArrayMaxSize(LIST_MAX) @IsIP(4, { each: true, ...ipv4 }) floodVteps!: string[];
  @ApiProperty({ type: [FdbEntryDto] })
  @IsArray()
  @ArrayMaxSize(LIST_MAX)
  @ValidateNested({ each: true })
  @Type(() => FdbEntryDto)
  fdb!: FdbEntryDto[];
}

export class RouterInterfacePlugDto implements RouterInterfacePlug {
  @ApiProperty() @IsString() @Matches(ID, idMessage) subnetId!: string;
  @ApiProperty({ example: 'qr-5b1f0c2a9d3' }) @IsInterfaceName() device!: string;
  @ApiProperty({ example: 'tap5b1f0c2a9d3' }) @IsInterfaceName() peerDevice!: string;
  @ApiProperty() @IsInterfaceName() bridge!: string;
  @ApiProperty() @IsInterfaceName() vxlanDevice!: string;
  @ApiProperty() @IsIP(4, ipv4) gatewayIp!: string;
  @ApiProperty({ minimum: 1, maximum: 30 }) @IsInt() @Min(1) @Max(30) prefixLength!: number;
  @ApiProperty() @Matches(MAC, macMessage) gatewayMac!: string;
}

export class StaticArpDto implements StaticArp {
  @ApiProperty() @IsIP(4, ipv4) ip!: string;
  @ApiProperty() @Matches(MAC, macMessage) mac!: string;
  @ApiProperty() @IsInterfaceName() device!: string;
}

export class FloatingIpPlugDto implements FloatingIpPlug {
  @ApiProperty() @IsIP(4, ipv4) floatingIp!: string;
  @ApiProperty() @IsIP(4, ipv4) fixedIp!: string;
}

export class ExternalGatewayPlugDto implements ExternalGatewayPlug {
  @ApiProperty({ example: 'qg-5b1f0c2a9d3' }) @IsInterfaceName() device!: string;
  @ApiProperty() @IsIP(4, ipv4) address!: string;
  @ApiProperty({ minimum: 1, maximum: 30 }) @IsInt() @Min(1) @Max(30) prefixLength!: number;
  @ApiProperty() @IsIP(4, ipv4) gatewayIp!: string;
}

export class RouterPlacementDto implements RouterPlacement {
  @ApiProperty() @IsString() @Matches(ID, idMessage) routerId!: string;
  @ApiProperty({ example: 'qrouter-5b1f0c2a-9d3e-4f50-8a61-7b2c3d4e5f60' }) @IsNetnsName() namespace!: string;
  @ApiProperty() @IsBoolean() distributed!: boolean;
  @ApiProperty({ type: [RouterInterfacePlugDto] })
  @IsArray()
  @ArrayMaxSize(LIST_MAX)
  @ValidateNested({ each: true })
  @Type(() => RouterInterfacePlugDto)
  interfaces!: RouterInterfacePlugDto[];
  @ApiProperty({ type: [StaticArpDto] })
  @IsArray()
  @ArrayMaxSize(LIST_MAX)
  @ValidateNested({ each: true })
  @Type(() => StaticArpDto)
  arp!: StaticArpDto[];
  @ApiProperty({ type: [FloatingIpPlugDto] })
  @IsArray()
  @ArrayMaxSize(LIST_MAX)
  @ValidateNested({ each: true })
  @Type(() => FloatingIpPlugDto)
  floatingIps!: FloatingIpPlugDto[];
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @Matches(MAC, macMessage) dvrHostMac!: string | null;
  @ApiPropertyOptional({ nullable: true, type: ExternalGatewayPlugDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ExternalGatewayPlugDto)
  externalGateway!: ExternalGatewayPlugDto | null;
}

export class FipRouterLinkDto implements FipRouterLink {
  @ApiProperty() @IsString() @Matches(ID, idMessage) routerId!: string;
  @ApiProperty() @IsNetnsName() routerNamespace!: string;
  @ApiProperty({ example: 'rfp-5b1f0c2a9d3' }) @IsInterfaceName() rfpDevice!: string;
  @ApiProperty({ example: 'fpr-5b1f0c2a9d3' }) @IsInterfaceName() fprDevice!: string;
  @ApiProperty() @IsIP(4, ipv4) rfpIp!: string;
  @ApiProperty() @IsIP(4, ipv4) fprIp!: string;
  @ApiProperty({ minimum: 1, maximum: 4_294_967_294 }) @IsInt() @Min(1) @Max(4_294_967_294) table!: number;
}

export class FipNamespacePlugDto implements FipNamespacePlug {
  @ApiProperty() @IsNetnsName() namespace!: string;
  @ApiProperty() @IsString() @Matches(ID, idMessage) externalNetworkId!: string;
  @ApiProperty({ example: 'fg-5b1f0c2a9d3' }) @IsInterfaceName() gatewayDevice!: string;
  @ApiProperty() @IsIP(4, ipv4) gatewayAddress!: string;
  @ApiProperty({ minimum: 1, maximum: 30 }) @IsInt() @Min(1) @Max(30) prefixLength!: number;
  @ApiProperty() @IsIP(4, ipv4) externalGatewayIp!: string;
  @ApiProperty({ type: [FipRouterLinkDto] })
  @IsArray()
  @ArrayMaxSize(LIST_MAX)
  @ValidateNested({ each: true })
  @Type(() => FipRouterLinkDto)
  routers!: FipRouterLinkDto[];
}

export class TakeOverDto {
  @ApiProperty({ nullable: true, type: String, description: 'the generation the agent holds now (null: none)' })
  @IsOptional()
  @IsUUID()
  generation!: string | null;
}

export class HostNetworkStateDto implements HostNetworkState {
  @ApiProperty() @IsHostName() host!: string;
  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) revision!: number;
  @ApiPropertyOptional({ description: "the controller database's identity" }) @IsOptional() @IsUUID() generation?: string;
  @ApiPropertyOptional({ type: TakeOverDto }) @IsOptional() @ValidateNested() @Type(() => TakeOverDto) takeOver?: TakeOverDto;
  @ApiProperty() @IsIP(4, ipv4) localVtepIp!: string;
  @ApiProperty({ type: [NetworkPlugDto] })
  @IsArray()
  @ArrayMaxSize(LIST_MAX)
  @ValidateNested({ each: true })
  @Type(() => NetworkPlugDto)
  networks!: NetworkPlugDto[];
  @ApiProperty({ type: [RouterPlacementDto] })
  @IsArray()
  @ArrayMaxSize(LIST_MAX)
  @ValidateNested({ each: true })
  @Type(() => RouterPlacementDto)
  routers!: RouterPlacementDto[];
  @ApiProperty({ type: [FipNamespacePlugDto] })
  @IsArray()
  @ArrayMaxSize(LIST_MAX)
  @ValidateNested({ each: true })
  @Type(() => FipNamespacePlugDto)
  fipNamespaces!: FipNamespacePlugDto[];
}
