import { ValidateBy, type ValidationOptions } from 'class-validator';
import { cidrProblem } from './core/ipv4';
import { isUnicastMac } from './core/mac';

export const IsIpv4Cidr = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isIpv4Cidr',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && cidrProblem(value) === null,
        defaultMessage: (args) =>
          `${args?.property ?? 'cidr'}: ${typeof args?.value === 'string' ? cidrProblem(args.value) : 'must be a string'}`,
      },
    },
    options,
  );

export const IsUnicastMac = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isUnicastMac',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isUnicastMac(value),
        defaultMessage: (args) => `${args?.property ?? 'mac'} must be a lower-case unicast MAC such as fa:16:3e:12:34:56`,
      },
    },
    options,
  );
