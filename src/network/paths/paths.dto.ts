import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { HOP_ROLES, PATH_CLASSES, ROUTER_MODES } from '../core/path-class';

export class PathsQueryDto {
  @ApiProperty({ description: 'instance id or name', example: 'vm-1' })
  @IsString()
  @Length(1, 63)
  instance!: string;

  @ApiPropertyOptional({ description: 'host id or name: also show the paths after a migration there', example: 'compute-b' })
  @IsOptional()
  @IsString()
  @Length(1, 63)
  destination?: string;
}

export class TunnelLegDto {
  @ApiProperty() vni!: number;
  @ApiProperty() fromVtepIp!: string;
  @ApiProperty() toVtepIp!: string;
  @ApiProperty({ description: 'host name' }) toHost!: string;
}

export class PathHopDto {
  @ApiProperty({ enum: HOP_ROLES }) role!: string;
  @ApiProperty({ description: 'host name' }) host!: string;
  @ApiProperty({ type: String, nullable: true, description: "null: the host's root namespace" }) namespace!: string | null;
  @ApiProperty() device!: string;
  @ApiPropertyOptional({ type: TunnelLegDto, description: 'set where the packet leaves the host through the VXLAN tunnel' })
  tunnel?: TunnelLegDto;
}

export class PathNatDto {
  @ApiProperty({ enum: ['snat', 'floating-ip'] }) kind!: string;
  @ApiProperty({ description: 'the address the far side sees' }) address!: string;
}

/** One direction, from the instance's port to the peer. */
export class PathDto {
  @ApiProperty() reachable!: boolean;
  @ApiPropertyOptional({ description: 'why there is no path (reachable=false)' }) reason?: string;
  @ApiPropertyOptional({ enum: PATH_CLASSES }) class?: string;
  @ApiPropertyOptional({ enum: ROUTER_MODES, nullable: true, description: 'null: no router on the path' }) mode?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'uuid' }) routerId?: string | null;
  @ApiPropertyOptional({ type: [String], description: 'host names where the packet is routed' }) routedOn?: string[];
  @ApiPropertyOptional() tunnelCrossings?: number;
  @ApiPropertyOptional({ type: PathNatDto, nullable: true }) nat?: PathNatDto | null;
  @ApiPropertyOptional({ type: [PathHopDto] }) hops?: PathHopDto[];
}

export class PeerRefDto {
  @ApiProperty({ enum: ['port', 'external'] }) kind!: string;
  @ApiPropertyOptional({ format: 'uuid' }) portId?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) instanceId?: string | null;
  @ApiPropertyOptional() fixedIp?: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'host name of its ACTIVE binding' }) host?: string | null;
}

export class PeerPathDto {
  @ApiProperty({ format: 'uuid', description: "the instance's own port" }) portId!: string;
  @ApiProperty() fixedIp!: string;
  @ApiProperty({ type: PeerRefDto }) peer!: PeerRefDto;
  @ApiProperty({ type: PathDto }) now!: PathDto;
  @ApiProperty({ type: PathDto, nullable: true, description: 'after a migration to the destination; null without one' })
  after!: PathDto | null;
  @ApiProperty() classChanged!: boolean;
  @ApiProperty({ description: 'any hop differs' }) pathChanged!: boolean;
}

export class ClassChangeDto {
  @ApiProperty({ format: 'uuid' }) portId!: string;
  @ApiProperty({ type: PeerRefDto }) peer!: PeerRefDto;
  @ApiProperty({ enum: [...PATH_CLASSES, 'unreachable'] }) from!: string;
  @ApiProperty({ enum: [...PATH_CLASSES, 'unreachable'] }) to!: string;
}

export class HostNameRefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

export class InstancePathsDto {
  @ApiProperty() instanceId!: string;
  @ApiProperty({ type: HostNameRefDto, nullable: true }) destination!: HostNameRefDto | null;
  @ApiProperty({ type: [PeerPathDto] }) peers!: PeerPathDto[];
  @ApiProperty({ type: [ClassChangeDto], description: 'the peers whose class the migration changes' }) changed!: ClassChangeDto[];
}
