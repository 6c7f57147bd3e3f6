import { ApiProperty } from '@nestjs/swagger';

/** The one shape every error response takes. */
export class ApiErrorDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({ example: 'invalid fields: libvirtUri, memoryMiB' })
  message!: string;

  @ApiProperty({ required: false, nullable: true, description: 'structured detail, for example the invalid fields' })
  details!: unknown;
}

export interface FieldError {
  field: string;
  errors: string[];
}
