import { AuthException } from '../exceptions/auth.exception';
import type { Principal } from '../principal';
import { isRole, ROLES } from '../roles';

const invalid = (reason: string) =>
  new AuthException('TOKEN_INVALID', `the token's claims are invalid: ${reason}`);

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string' && item.length > 0);

/**
 * The principal described by a verified JWT payload. The signature proves who issued the claims, not
 * that they have the shape this platform expects, so that is checked here.
 *
 * @throws AuthException TOKEN_INVALID naming the bad claim.
 */
export function principalFromPayload(payload: unknown): Principal {
  if (typeof payload !== 'object' || payload === null) throw invalid('the payload is not a JSON object');
  const { sub, roles, properties = [], name } = payload as Record<string, unknown>;

  if (typeof sub !== 'string' || sub.length === 0) throw invalid('"sub" must be a non-empty string');
  if (!isStringArray(roles)) throw invalid('"roles" must be an array of role names');
  const unknownRoles = roles.filter((role) => !isRole(role));
  if (unknownRoles.length > 0) {
    throw invalid(`"roles" has unknown roles: ${unknownRoles.join(', ')} (known: ${ROLES.join(', ')})`);
  }
  if (!isStringArray(properties)) throw invalid('"properties" must be an array of property ids');
  if (name !== undefined && typeof name !== 'string') throw invalid('"name" must be a string');

  const principal = { sub, roles: roles.filter(isRole), properties, ...(name !== undefined && { name }) };
  return Object.freeze(principal);
}
