import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Matches, Max, MaxLength, Min } from 'class-validator';
import { pageDtoOf } from '../../common/http/page';

export class CreateFlavorDto {
  @ApiProperty({ example: 'lab.tiny' })
  @MaxLength(63)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { message: 'name may only contain letters, digits, ".", "_" and "-"' })
  name!: string;

  @ApiProperty({ example: 1, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(1024)
  vcpus!: number;

  @ApiProperty({ example: 256, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(16 * 1024 * 1024)
  ramMiB!: number;

  @ApiProperty({ example: 0, minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(1024 * 1024)
  diskGiB!: number;
}

export class FlavorDto extends CreateFlavorDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  createdAt!: Date;
}

export class FlavorPageDto extends pageDtoOf(FlavorDto) {}
