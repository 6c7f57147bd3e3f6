import { IsOptional, IsString, MaxLength } from 'class-validator';

export class CreateMarkerDto {
  /** Defaults to the agent's configured instances path; any other path is refused. */
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  instancesPath?: string;
}

export class MarkerQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  instancesPath?: string;
}
