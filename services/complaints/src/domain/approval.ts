import type { Role } from '@loyalty/auth';
import { ComplaintError, ComplaintErrorCode } from './complaint-error';

export const COMPENSATION_KINDS = ['goodwill-points', 'discount', 'upgrade-voucher'] as const;
export type CompensationKind = (typeof COMPENSATION_KINDS)[number];

/** What is offered: points, a percentage off the stay, or one upgrade voucher. */
export interface CompensationOffer {
  kind: CompensationKind;
  points?: number;
  discountPercent?: number;
}

interface Limits {
  points: number;
  discountPercent: number;
  upgradeVoucher: boolean;
}

/** What each role may approve alone; more needs a role higher up. */
export const APPROVAL_LIMITS: Record<Role, Limits> = {
  analyst: { points: 0, discountPercent: 0, upgradeVoucher: false },
  service: { points: 0, discountPercent: 0, upgradeVoucher: false },
  'front-desk': { points: 1_000, discountPercent: 10, upgradeVoucher: false },
  'property-manager': { points: 10_000, discountPercent: 50, upgradeVoucher: true },
  'chain-admin': { points: Infinity, discountPercent: 100, upgradeVoucher: true },
};

const APPROVERS_LOWEST_FIRST: Role[] = ['front-desk', 'property-manager', 'chain-admin'];

function within(limits: Limits, offer: CompensationOffer): boolean {
  switch (offer.kind) {
    case 'goodwill-points':
      return (offer.points ?? 0) <= limits.points;
    case 'discount':
      return (offer.discountPercent ?? 0) <= limits.discountPercent;
    case 'upgrade-voucher':
      return limits.upgradeVoucher;
  }
}

export function canApprove(roles: readonly Role[], offer: CompensationOffer): boolean {
  return roles.some((role) => within(APPROVAL_LIMITS[role], offer));
}

/** The lowest role that may approve the offer. */
export function approverNeeded(offer: CompensationOffer): Role {
  return APPROVERS_LOWEST_FIRST.find((role) => within(APPROVAL_LIMITS[role], offer)) ?? 'chain-admin';
}

/** @throws ComplaintError APPROVAL_LIMIT_EXCEEDED naming the role that may approve it. */
export function assertCanApprove(roles: readonly Role[], offer: CompensationOffer): void {
  if (canApprove(roles, offer)) return;
  const needs = approverNeeded(offer);
  throw new ComplaintError(
    ComplaintErrorCode.APPROVAL_LIMIT_EXCEEDED,
    `a ${describe(offer)} needs the approval of a ${needs}; the token has: ${roles.join(', ') || '(none)'}`,
    { requiredRole: needs },
  );
}

function describe(offer: CompensationOffer): string {
  if (offer.kind === 'goodwill-points') return `compensation of ${offer.points ?? 0} points`;
  if (offer.kind === 'discount') return `discount of ${offer.discountPercent ?? 0}%`;
  return 'upgrade voucher';
}
