import type { Role } from '@loyalty/auth';
import type { CompensationKind, CompensationOffer } from '../domain';

export interface CompensationRecord {
  id: string;
  complaintId: string;
  kind: CompensationKind;
  points: number | null;
  discountPercent: number | null;
  /** `declined` by staff who may approve it, or by the service when the complaint closed first. */
  status: 'pending' | 'approved' | 'declined';
  requiredRole: Role;
  requestedBy: string;
  requestedAt: Date;
  approvedBy: string | null;
  approvedAt: Date | null;
  declinedBy: string | null;
  declinedAt: Date | null;
  /** Why, in the decliner's words (or the service's: how the complaint closed); blanked by an erasure. */
  declineReason: string | null;
}

const FIELDS = `id, complaint_id as "complaintId", kind, points, discount_percent as "discountPercent", status,
  required_role as "requiredRole", requested_by as "requestedBy", requested_at as "requestedAt",
  approved_by as "approvedBy", approved_at as "approvedAt", declined_by as "declinedBy",
  declined_at as "declinedAt", decline_reason as "declineReason"`;

export const SELECT_COMPENSATIONS = `select ${FIELDS} from compensations`;

/** Compensations with the fingerprint of the keyed request that made each (`requestFingerprint`). */
export const SELECT_KEYED_COMPENSATIONS = `select ${FIELDS}, request_fingerprint as "requestFingerprint"
  from compensations`;

/**
 * What the audit trail keeps of a compensation: every field but the decline's reason, free text kept beside
 * the audit line instead, where an erasure blanks it.
 */
export function compensationAuditView(record: CompensationRecord): Omit<CompensationRecord, 'declineReason'> {
  const { declineReason: _reason, ...rest } = record;
  return rest;
}

export function offerOf(record: CompensationRecord): CompensationOffer {
  return {
    kind: record.kind,
    ...(record.points !== null ? { points: record.points } : {}),
    ...(record.discountPercent !== null ? { discountPercent: record.discountPercent } : {}),
  };
}
