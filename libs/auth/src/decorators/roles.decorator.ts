import { SetMetadata } from '@nestjs/common';
import type { Role } from '../roles';

export const ROLES_METADATA = 'loyalty:roles';

/**
 * The caller needs at least one of `roles` (or `chain-admin`). On a handler it replaces any
 * `@Roles` of its controller rather than adding to it.
 */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_METADATA, roles);
