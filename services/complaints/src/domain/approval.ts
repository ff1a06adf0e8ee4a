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

/**
 * Goodwill points one approver may grant in 24 hours over every complaint, by their strongest role: the limit
 * per offer alone lets a desk approve offer after offer. Past it, an offer waits for the role above.
 */
export const DAILY_APPROVAL_POINTS: Record<Role, number> = {
  analyst: 0,
  service: 0,
  'front-desk': 5_000,
  'property-manager': 50_000,
  'chain-admin': Infinity,
};

const APPROVERS_LOWEST_FIRST: Role[] = ['front-desk', 'property-manager', 'chain-admin'];

/** The rank of the caller's strongest approving role; -1 for a token that may approve nothing. */
function rankOf(roles: readonly Role[]): number {
  return Math.max(-1, ...roles.map((role) => APPROVERS_LOWEST_FIRST.indexOf(role)));
}

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

/** Who an offer waits for when its requester may approve it, but not today: the role above theirs. */
export function approverAbove(roles: readonly Role[]): Role {
  return APPROVERS_LOWEST_FIRST[Math.min(rankOf(roles) + 1, APPROVERS_LOWEST_FIRST.length - 1)];
}

/**
 * An offer is approved, or declined, by a role whose limit takes it, at or above the role it waits for.
 * Declining grants nothing, so the decider's day's points and their discount on the complaint count only
 * when approving (`assertFitsApproversDay`, `assertFitsApproversComplaint`).
 * @param requiredRole whom the offer waits for, when that is more than the offer alone needs (its
 *   requester had used up their day).
 * @throws ComplaintError APPROVAL_LIMIT_EXCEEDED naming the role that may decide on it.
 */
export function assertMayDecide(
  decision: 'approve' | 'decline',
  roles: readonly Role[],
  offer: CompensationOffer,
  requiredRole: Role = approverNeeded(offer),
): void {
  if (mayDecide(roles, offer, requiredRole)) return;
  const needs =
    decision === 'approve'
      ? `needs the approval of a ${requiredRole}`
      : `is approved or declined by a ${requiredRole}`;
  throw new ComplaintError(
    ComplaintErrorCode.APPROVAL_LIMIT_EXCEEDED,
    `a ${describe(offer)} ${needs}; the token has: ${roles.join(', ') || '(none)'}`,
    { requiredRole },
  );
}

function mayDecide(roles: readonly Role[], offer: CompensationOffer, requiredRole: Role): boolean {
  return canApprove(roles, offer) && rankOf(roles) >= APPROVERS_LOWEST_FIRST.indexOf(requiredRole);
}

/** Whether approving the offer keeps its approver within their daily points (always, for an offer of none). */
export function fitsApproversDay(
  roles: readonly Role[],
  offer: CompensationOffer,
  approvedInLastDay: number,
): boolean {
  return pointsOf(offer) <= dailyRoom(roles, approvedInLastDay).remaining;
}

/** @throws ComplaintError DAILY_APPROVAL_LIMIT with `limit`, `usedInLast24Hours` and `remaining`. */
export function assertFitsApproversDay(
  roles: readonly Role[],
  offer: CompensationOffer,
  approvedInLastDay: number,
): void {
  const { limit, remaining } = dailyRoom(roles, approvedInLastDay);
  const requested = pointsOf(offer);
  if (requested <= remaining) return;
  throw new ComplaintError(
    ComplaintErrorCode.DAILY_APPROVAL_LIMIT,
    `${roles.join(', ')} may approve at most ${limit} goodwill points in 24 hours; ${approvedInLastDay} ` +
      `approved, ${remaining} left, asked ${requested}`,
    { limit, usedInLast24Hours: approvedInLastDay, remaining, requested },
  );
}

/** The approver's limit (that of their strongest role) and what is left of it once `used` is taken. */
function roomLeft(
  roles: readonly Role[],
  limitOf: (role: Role) => number,
  used: number,
): { limit: number; remaining: number } {
  const limit = Math.max(0, ...roles.map(limitOf));
  return { limit, remaining: Math.max(0, limit - used) };
}

const dailyRoom = (roles: readonly Role[], approvedInLastDay: number) =>
  roomLeft(roles, (role) => DAILY_APPROVAL_POINTS[role], approvedInLastDay);

/**
 * Whether approving the offer keeps the discount its approver gave on one complaint within their limit (always,
 * for an offer of no discount): the limit per offer alone lets a desk approve a large discount in small offers.
 * Past it, an offer waits for the role above.
 */
export function fitsApproversComplaint(
  roles: readonly Role[],
  offer: CompensationOffer,
  discountApprovedOnComplaint: number,
): boolean {
  return discountOf(offer) <= complaintDiscountRoom(roles, discountApprovedOnComplaint).remaining;
}

/**
 * @throws ComplaintError APPROVAL_LIMIT_EXCEEDED naming the role above the approver's, with `limit`,
 *   `approvedOnComplaint`, `remaining` and `requested` (percent).
 */
export function assertFitsApproversComplaint(
  roles: readonly Role[],
  offer: CompensationOffer,
  discountApprovedOnComplaint: number,
): void {
  const { limit, remaining } = complaintDiscountRoom(roles, discountApprovedOnComplaint);
  const requested = discountOf(offer);
  if (requested <= remaining) return;
  const requiredRole = approverAbove(roles);
  throw new ComplaintError(
    ComplaintErrorCode.APPROVAL_LIMIT_EXCEEDED,
    `${roles.join(', ')} may approve at most ${limit}% off on one complaint; ${discountApprovedOnComplaint}% ` +
      `approved, ${remaining}% left, asked ${requested}%: it needs the approval of a ${requiredRole}`,
    { requiredRole, limit, approvedOnComplaint: discountApprovedOnComplaint, remaining, requested },
  );
}

/**
 * The most a complaint's approved discounts add up to, whoever approved them: the whole stay. Each approver's
 * own limit on the complaint leaves room for several approvers' discounts to pass it together.
 */
export const COMPLAINT_DISCOUNT_CAP = 100;

/**
 * Refused for every role, a chain admin's too: no approval can give more than the whole stay off, so the
 * offer is not left waiting for one.
 * @throws ComplaintError DISCOUNT_PAST_WHOLE_STAY with `limit`, `approvedOnComplaint` (by every approver),
 *   `remaining` and `requested` (percent).
 */
export function assertFitsWholeStay(offer: CompensationOffer, discountApprovedOnComplaint: number): void {
  const requested = discountOf(offer);
  const remaining = Math.max(0, COMPLAINT_DISCOUNT_CAP - discountApprovedOnComplaint);
  if (requested <= remaining) return;
  throw new ComplaintError(
    ComplaintErrorCode.DISCOUNT_PAST_WHOLE_STAY,
    `the complaint's approved discounts may add up to at most ${COMPLAINT_DISCOUNT_CAP}% off the stay; ` +
      `${discountApprovedOnComplaint}% approved, ${remaining}% left, asked ${requested}%`,
    { limit: COMPLAINT_DISCOUNT_CAP, approvedOnComplaint: discountApprovedOnComplaint, remaining, requested },
  );
}

const complaintDiscountRoom = (roles: readonly Role[], discountApprovedOnComplaint: number) =>
  roomLeft(roles, (role) => APPROVAL_LIMITS[role].discountPercent, discountApprovedOnComplaint);

function discountOf(offer: CompensationOffer): number {
  return offer.kind === 'discount' ? (offer.discountPercent ?? 0) : 0;
}

function pointsOf(offer: CompensationOffer): number {
  return offer.kind === 'goodwill-points' ? (offer.points ?? 0) : 0;
}

function describe(offer: CompensationOffer): string {
  if (offer.kind === 'goodwill-points') return `compensation of ${offer.points ?? 0} points`;
  if (offer.kind === 'discount') return `discount of ${offer.discountPercent ?? 0}%`;
  return 'upgrade voucher';
}
