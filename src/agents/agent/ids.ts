import { isUUID } from 'class-validator';

/** Marker, capture and probe ids are UUID v4: hex digits and dashes only, so never a path. */
export function isAgentId(value: unknown): value is string {
  return typeof value === 'string' && isUUID(value, '4');
}
