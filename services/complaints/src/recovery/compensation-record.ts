import type { Role } from '@loyalty/auth';
import type { CompensationKind, CompensationOffer } from '../domain';

export interface CompensationRecord {
  id: string;
  complaintId: string;
  kind: CompensationKind;
  points: number | null;
  discountPercent: number | null;
  status: 'pending' | 'approved';
  requiredRole: Role;
  requestedBy: string;
  requestedAt: Date;
  approvedBy: string | null;
  approvedAt: Date | null;
}

const FIELDS = `id, complaint_id as "complaintId", kind, points, discount_percent as "discountPercent", status,
  required_role as "requiredRole", requested_by as "requestedBy", requested_at as "requestedAt",
  approved_by as "approvedBy", approved_at as "approvedAt"`;

export const SELECT_COMPENSATIONS = `select ${FIELDS} from compensations`;

/** Compensations with the fingerprint of the keyed request that made each (`requestFingerprint`). */
export const SELECT_KEYED_COMPENSATIONS = `select ${FIELDS}, request_fingerprint as "requestFingerprint"
  from compensations`;

export function offerOf(record: CompensationRecord): CompensationOffer {
  return {
    kind: record.kind,
    ...(record.points !== null ? { points: record.points } : {}),
    ...(record.discountPercent !== null ? { discountPercent: record.discountPercent } : {}),
  };
}
