import { SetMetadata } from '@nestjs/common';
import type { Role } from '../config/role';

export const PUBLIC_KEY = 'livemig:public';
export const ROLES_KEY = 'livemig:roles';

/** No token needed (health, metrics, API docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Overrides the default: reads for every role, mutations for operators. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
