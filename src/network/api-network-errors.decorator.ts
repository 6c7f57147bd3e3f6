import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ApiErrorDto } from '../common/http/api-error';
import { ApiErrors } from '../common/http/api-errors.decorator';

/** The usual error responses plus 422: the request is well-formed but makes no sense for the model. */
export const ApiNetworkErrors = () =>
  applyDecorators(
    ApiErrors(),
    ApiResponse({
      status: 422,
      type: ApiErrorDto,
      description: 'semantically invalid (gateway outside the CIDR, unknown host, FIP on a non-external network…)',
    }),
  );
