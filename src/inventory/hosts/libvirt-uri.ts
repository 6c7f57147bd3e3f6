import { ValidateBy, type ValidationOptions } from 'class-validator';
import { assertLibvirtUri } from './libvirt-uri-rules';

/** Why a libvirt connection URI is not usable by livemig, or null when it is (one rule set: the binding's). */
export function libvirtUriProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0) return 'must be a non-empty string';
  if (value.length > 255) return 'is longer than 255 characters';
  try {
    assertLibvirtUri(value);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

export const IsLibvirtUri = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isLibvirtUri',
      validator: {
        validate: (value: unknown) => libvirtUriProblem(value) === null,
        defaultMessage: (args) => `${args?.property ?? 'libvirtUri'}: ${libvirtUriProblem(args?.value) ?? 'is invalid'}`,
      },
    },
    options,
  );
