import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsIn, IsInt, IsIP, IsOptional, IsString, IsUrl, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsHostName, IsInterfaceName } from '../../common/names';
import { PageQueryDto, pageDtoOf } from '../../common/http/page';
import { AGENT_STATES, HOST_STATES, type AgentState, type HostState } from './host.entity';
import { IsAgentEndpoint } from './agent-endpoint';
import { IsLibvirtUri } from './libvirt-uri';

export class CreateHostDto {
  @ApiProperty({ example: 'compute-a', description: 'RFC 1123 host name' })
  @IsHostName()
  @MaxLength(63)
  name!: string;

  @ApiProperty({ example: 'qemu+tcp://192.0.2.11/system' })
  @IsLibvirtUri()
  libvirtUri!: string;

  @ApiProperty({ example: '192.0.2.11', description: 'address the migration stream uses' })
  @IsIP(undefined, { message: 'migrationAddress must be an IPv4 or IPv6 address' })
  migrationAddress!: string;

  @ApiProperty({ example: 'mig0', description: 'interface that carries the migration stream' })
  @IsInterfaceName()
  migrationInterface!: string;

  @ApiProperty({ example: '/var/lib/nova/instances', description: 'shared (NFS) instances directory' })
  @IsString()
  @MaxLength(255)
  @Matches(/^\/(?!.*(^|\/)\.\.(\/|$))[^\0]*$/, { message: 'instancesPath must be an absolute path without ".."' })
  instancesPath!: string;

  @ApiProperty({ example: 16, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(4096)
  vcpus!: number;

  @ApiProperty({ example: 65536, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(64 * 1024 * 1024)
  memoryMiB!: number;

  @ApiPropertyOptional({ enum: HOST_STATES, default: 'enabled' })
  @IsOptional()
  @IsIn(HOST_STATES)
  state?: HostState;

  @ApiPropertyOptional({ example: 'http://192.0.2.11:7070', nullable: true, description: 'host agent RPC endpoint' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @IsAgentEndpoint()
  agentEndpoint?: string | null;

  // At most 128 so that its sealed form (see repositories/sealed-column.ts) fits the 255-character column.
  @ApiPropertyOptional({ writeOnly: true, description: "the host agent's bearer token; never returned", minLength: 8, maxLength: 128 })
  @IsOptional()
  @IsString()
  @Length(8, 128)
  @Matches(/^\S+$/, { message: 'agentToken must not contain white space' })
  agentToken?: string;

  @ApiPropertyOptional({
    example: '198.51.100.11',
    nullable: true,
    type: String,
    description: 'VXLAN tunnel endpoint (IPv4) of the tenant networks',
  })
  @IsOptional()
  @IsIP(4, { message: 'vtepIp must be an IPv4 address' })
  vtepIp?: string | null;
}

export class UpdateHostDto extends PartialType(CreateHostDto) {}

export class HostQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: HOST_STATES })
  @IsOptional()
  @IsIn(HOST_STATES)
  state?: HostState;
}

export class HostDto extends OmitType(CreateHostDto, ['agentToken'] as const) {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: HOST_STATES })
  declare state: HostState;

  @ApiProperty({ nullable: true, type: String })
  declare agentEndpoint: string | null;

  @ApiProperty({ nullable: true, type: String })
  declare vtepIp: string | null;

  @ApiProperty({ enum: AGENT_STATES, nullable: true, description: 'from the heartbeat; down after 3 missed heartbeats' })
  agentState!: AgentState | null;

  @ApiProperty({ nullable: true, type: Date, description: 'last heartbeat the agent answered' })
  agentLastSeenAt!: Date | null;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;
}

export class HostPageDto extends pageDtoOf(HostDto) {}
