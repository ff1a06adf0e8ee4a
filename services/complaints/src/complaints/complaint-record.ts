import type { StayDimension } from '@loyalty/contracts';
import type { Role } from '@loyalty/auth';
import type { ComplaintCategory, ComplaintStatus, Severity } from '../domain';

export interface StayReference {
  stayId: string;
  propertyId: string;
  reservationId: string;
  arrival: string;
  departure: string;
}

/** One complaint as stored; free text (`description`, `resolutionNote`) is null once the guest is erased. */
export interface ComplaintRecord {
  id: string;
  guestId: string;
  propertyId: string;
  stay: StayReference | null;
  reservationId: string | null;
  channel: string;
  category: ComplaintCategory;
  aspect: StayDimension;
  severity: Severity;
  description: string | null;
  status: ComplaintStatus;
  ownerId: string | null;
  ownerRole: Role;
  escalationLevel: number;
  policyId: string;
  surveyId: string | null;
  openedAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  resolution: string | null;
  resolutionNote: string | null;
  satisfaction: number | null;
  duplicateOf: string | null;
}

/** Who did something: a staff member from their token, or the service itself (events, timers). */
export interface Actor {
  id: string;
  roles: Role[];
}

export const SYSTEM_ACTOR: Actor = { id: 'complaints', roles: ['service'] };

/** What the audit trail keeps of a complaint: every field but the free text. */
export function auditView(complaint: ComplaintRecord): Record<string, unknown> {
  const { description: _description, resolutionNote: _note, ...rest } = complaint;
  return rest;
}
