import { ApiProperty } from '@nestjs/swagger';

export class HostNetworkStatusDto {
  @ApiProperty({ example: 'compute-a' })
  host!: string;

  @ApiProperty({ description: "the controller's current revision" })
  desiredRevision!: number;

  @ApiProperty({ nullable: true, type: Number, description: 'the revision the agent last applied' })
  appliedRevision!: number | null;

  @ApiProperty({ description: 'the agent applied the current revision' })
  inSync!: boolean;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "the agent's GET /v1/network: desired state, last apply, drift log",
  })
  agent!: object;
}
