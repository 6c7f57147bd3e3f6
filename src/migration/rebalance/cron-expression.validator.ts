import { validateCronExpression } from 'cron';
import { ValidateBy, type ValidationOptions } from 'class-validator';

/** A cron expression the scheduler accepts: 5 fields, or 6 with seconds first. */
export function IsCronExpression(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCronExpression',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value.trim() !== '' && validateCronExpression(value).valid,
        defaultMessage: (args) => `${args?.property ?? 'cron'} must be a cron expression (e.g. "0 */15 * * * *" or "*/10 * * * *")`,
      },
    },
    options,
  );
}
