import { ComplaintError, ComplaintErrorCode } from './complaint-error';

export const COMPLAINT_STATUSES = [
  'opened',
  'acknowledged',
  'in-progress',
  'awaiting-guest',
  'resolved',
  'closed',
  'duplicate',
  'cancelled',
] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

export const COMPLAINT_ACTIONS = [
  'acknowledge',
  'start',
  'await-guest',
  'resume',
  'resolve',
  'close',
  'reopen',
  'mark-duplicate',
  'cancel',
] as const;
export type ComplaintAction = (typeof COMPLAINT_ACTIONS)[number];

/**
 * What the state machine needs to know of a complaint: its status and, once the follow-up reached the guest,
 * their satisfaction. Staff close a complaint only with that answer; the follow-up timeout closes it without.
 */
export interface ComplaintStanding {
  status: ComplaintStatus;
  satisfaction: number | null;
}

/**
 * A closed complaint the guest never answered the follow-up for: they did not confirm it settled, so it may
 * still be reopened, within the same window as a resolved one. One they answered is final.
 */
type Stage = ComplaintStatus | 'closed-unanswered';

/** Where each action leads from each stage; an action missing from a stage is illegal there. */
const TRANSITIONS: Record<Stage, Partial<Record<ComplaintAction, ComplaintStatus>>> = {
  opened: { acknowledge: 'acknowledged', 'mark-duplicate': 'duplicate', cancel: 'cancelled' },
  acknowledged: { start: 'in-progress', 'mark-duplicate': 'duplicate', cancel: 'cancelled' },
  'in-progress': { 'await-guest': 'awaiting-guest', resolve: 'resolved', cancel: 'cancelled' },
  'awaiting-guest': { resume: 'in-progress', resolve: 'resolved', cancel: 'cancelled' },
  resolved: { close: 'closed', reopen: 'in-progress' },
  closed: {},
  'closed-unanswered': { reopen: 'in-progress' },
  duplicate: {},
  cancelled: {},
};

function stageOf({ status, satisfaction }: ComplaintStanding): Stage {
  return status === 'closed' && satisfaction === null ? 'closed-unanswered' : status;
}

/** Statuses in which the complaint is still being handled, so SLA timers run and escalation applies. */
export const ACTIVE_STATUSES: readonly ComplaintStatus[] = [
  'opened',
  'acknowledged',
  'in-progress',
  'awaiting-guest',
];

export function allowedActions(complaint: ComplaintStanding): ComplaintAction[] {
  const stage = stageOf(complaint);
  return COMPLAINT_ACTIONS.filter((action) => TRANSITIONS[stage][action] !== undefined);
}

/**
 * The actions staff may take on the complaint at `now`: those its state allows, less a reopen once the
 * reopen window (`reopenDays` from its resolution, `isReopenable`) has passed, which would be refused.
 */
export function allowedActionsAt(
  complaint: ComplaintStanding & { resolvedAt: Date | null },
  now: Date,
  reopenDays: number,
): ComplaintAction[] {
  return allowedActions(complaint).filter(
    (action) => action !== 'reopen' || isReopenable(complaint.resolvedAt, now, reopenDays),
  );
}

/** @throws ComplaintError ILLEGAL_TRANSITION naming the actions the complaint allows. */
export function nextStatus(complaint: ComplaintStanding, action: ComplaintAction): ComplaintStatus {
  const next = TRANSITIONS[stageOf(complaint)][action];
  if (next) return next;
  throw illegalTransition(complaint, action);
}

/** Escalating or reassigning changes the complaint, not its status, and only while it is being handled. */
export function assertActive(complaint: ComplaintStanding, action: 'escalate' | 'assign'): void {
  if (!ACTIVE_STATUSES.includes(complaint.status)) throw illegalTransition(complaint, action);
}

/**
 * Whether the complaint is still open to compensation and reclassification: while it is handled and once
 * resolved, until it is closed (or set aside as a duplicate or cancelled).
 */
export function isOpen(status: ComplaintStatus): boolean {
  return status === 'resolved' || ACTIVE_STATUSES.includes(status);
}

/** Compensation and reclassification go with handling the complaint: until it is closed (`isOpen`). */
export function assertNotClosed(complaint: ComplaintStanding, action: 'compensate' | 'reclassify'): void {
  if (!isOpen(complaint.status)) throw illegalTransition(complaint, action);
}

/**
 * Whether a move from `from` to `to` closes the complaint, whichever way (closed with the follow-up's answer
 * or without one, cancelled, marked a duplicate): its pending compensation offers can no longer be approved,
 * so they are declined with it.
 */
export function closesComplaint(from: ComplaintStatus, to: ComplaintStatus): boolean {
  return isOpen(from) && !isOpen(to);
}

function illegalTransition(complaint: ComplaintStanding, action: string): ComplaintError {
  const { status } = complaint;
  const allowed = allowedActions(complaint);
  return new ComplaintError(
    ComplaintErrorCode.ILLEGAL_TRANSITION,
    `cannot ${action} a complaint that is ${status}; allowed: ${allowed.join(', ') || '(none, it is final)'}`,
    { status, action, allowed },
  );
}

/** A follow-up answer of 4 or 5 (of 5): the guest is satisfied with how the complaint was handled. */
export function isSatisfied(satisfaction: number): boolean {
  return satisfaction >= 4;
}

/**
 * How a resolved complaint ended once closed: `resolved` when the guest confirmed it, satisfied, in the
 * follow-up; `unresolved` when they answered they were not, or never answered (the follow-up timed out).
 */
export function closureOutcome({ satisfaction }: ComplaintStanding): 'resolved' | 'unresolved' {
  return satisfaction !== null && isSatisfied(satisfaction) ? 'resolved' : 'unresolved';
}

/** The last instant a complaint resolved at `resolvedAt` may be reopened: `days` after its resolution. */
function reopenableUntil(resolvedAt: Date, days: number): Date {
  return new Date(resolvedAt.getTime() + days * 86_400_000);
}

/**
 * Whether the reopen window, `days` from the resolution, is still open at `now`. A complaint with no
 * resolution (none the state machine lets be reopened) is not held to one.
 */
export function isReopenable(resolvedAt: Date | null, now: Date, days: number): boolean {
  return resolvedAt === null || now <= reopenableUntil(resolvedAt, days);
}

/** @throws ComplaintError REOPEN_WINDOW_PASSED once `days` have gone by since the resolution. */
export function assertReopenable(resolvedAt: Date, now: Date, days: number): void {
  if (isReopenable(resolvedAt, now, days)) return;
  const closesAt = reopenableUntil(resolvedAt, days);
  throw new ComplaintError(
    ComplaintErrorCode.REOPEN_WINDOW_PASSED,
    `a complaint can be reopened within ${days} days of its resolution; that ended at ${closesAt.toISOString()}`,
    { reopenableUntil: closesAt.toISOString() },
  );
}
