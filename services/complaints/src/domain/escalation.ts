import type { Role } from '@loyalty/auth';
import { ComplaintError, ComplaintErrorCode } from './complaint-error';

/** Duty manager (1), general manager (2), regional guest relations (3). */
export const MAX_ESCALATION_LEVEL = 3;

export type NotifiedRole = 'property-manager' | 'chain-admin';

/** @throws ComplaintError ESCALATION_AT_TOP when the complaint is already with regional guest relations. */
export function nextEscalationLevel(level: number): number {
  if (level < MAX_ESCALATION_LEVEL) return level + 1;
  throw new ComplaintError(
    ComplaintErrorCode.ESCALATION_AT_TOP,
    `the complaint is already at the top escalation level (${MAX_ESCALATION_LEVEL})`,
  );
}

/**
 * A staff escalation names the level it saw, when it does: a retry after a lost answer, or a colleague
 * escalating the same complaint at the same moment, would otherwise raise it twice and tell the level above.
 * @throws ComplaintError ESCALATION_LEVEL_CHANGED with the complaint's `escalationLevel`.
 */
export function assertStillAtLevel(level: number, fromLevel: number | undefined): void {
  if (fromLevel === undefined || fromLevel === level) return;
  throw new ComplaintError(
    ComplaintErrorCode.ESCALATION_LEVEL_CHANGED,
    `the complaint is at escalation level ${level}, not ${fromLevel}: it was escalated since`,
    { escalationLevel: level },
  );
}

/** The owner's manager: a property manager for front-desk staff, the chain for managers and the top level. */
export function notifiedRoleFor(level: number, ownerRole: Role): NotifiedRole {
  if (level >= MAX_ESCALATION_LEVEL || ownerRole === 'property-manager' || ownerRole === 'chain-admin') {
    return 'chain-admin';
  }
  return 'property-manager';
}

const SENIORITY: Role[] = ['analyst', 'service', 'front-desk', 'property-manager', 'chain-admin'];

/** The most senior of a token's roles: who a complaint's owner is for escalation. */
export function strongestRole(roles: readonly Role[]): Role {
  return [...roles].sort((a, b) => SENIORITY.indexOf(b) - SENIORITY.indexOf(a))[0] ?? 'analyst';
}
