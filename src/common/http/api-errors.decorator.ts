import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ApiErrorDto } from './api-error';

/** Documents the error responses every protected route can give. */
export const ApiErrors = () =>
  applyDecorators(
    ApiResponse({ status: 400, type: ApiErrorDto, description: 'invalid input; details name the fields' }),
    ApiResponse({ status: 401, type: ApiErrorDto, description: 'no or unknown bearer token' }),
    ApiResponse({ status: 403, type: ApiErrorDto, description: 'the role may not do this' }),
    ApiResponse({ status: 404, type: ApiErrorDto, description: 'unknown id' }),
    ApiResponse({ status: 409, type: ApiErrorDto, description: 'conflicts with existing data' }),
  );
