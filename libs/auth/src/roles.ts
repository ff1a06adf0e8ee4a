/** Every role a token can carry. `chain-admin` passes every role check. */
export const ROLES = ['chain-admin', 'property-manager', 'front-desk', 'analyst', 'service'] as const;
export type Role = (typeof ROLES)[number];

export const SUPER_ROLE: Role = 'chain-admin';

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
