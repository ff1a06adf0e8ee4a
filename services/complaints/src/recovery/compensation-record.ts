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

export const SELECT_COMPENSATIONS = `select id, complaint_id as "complaintId", kind, points,
  discount_percent as "discountPercent", status, required_role as "requiredRole", requested_by as "requestedBy",
  requested_at as "requestedAt", approved_by as "approvedBy", approved_at as "approvedAt" from compensations`;

export function offerOf(record: CompensationRecord): CompensationOffer {
  return {
    kind: record.kind,
    ...(record.points !== null ? { points: record.points } : {}),
    ...(record.discountPercent !== null ? { discountPercent: record.discountPercent } : {}),
  };
}
