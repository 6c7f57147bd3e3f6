import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

/** `:host` in a path: a host id or name, as Neutron's binding:host_id takes the name. */
export class HostRefParamDto {
  @ApiProperty({ example: 'compute-a', description: 'host id or name' })
  @IsString()
  @Length(1, 63)
  host!: string;
}
