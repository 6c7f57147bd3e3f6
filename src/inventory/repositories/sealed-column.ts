import type { ValueTransformer } from 'typeorm';
import { seal, unseal } from '../../common/sealed-secret';
import { secretKey } from '../../config/secret-key';

/** Seals a secret column on write and opens it on read; plain values from before sealing read as they are. */
export const SEALED_COLUMN: ValueTransformer = {
  to: (value: string | null | undefined) => (typeof value === 'string' ? seal(value, secretKey()) : value),
  from: (value: string | null) => (typeof value === 'string' ? unseal(value, secretKey()) : value),
};
