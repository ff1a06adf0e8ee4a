import { mintToken, type Role } from '@loyalty/auth';
import { DEV_JWT_SECRET } from '@loyalty/config';

/** A short-lived token for the simulator's calls to the services' staff APIs, at every property. */
export function staffToken(role: Role, subject = 'simulator'): string {
  const secret = process.env.AUTH_JWT_SECRET ?? DEV_JWT_SECRET;
  return mintToken({ sub: subject, roles: [role], properties: ['*'] }, secret, '10m');
}
