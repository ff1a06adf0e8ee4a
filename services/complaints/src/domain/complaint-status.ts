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

/** Where each action leads from each status; an action missing from a status is illegal there. */
const TRANSITIONS: Record<ComplaintStatus, Partial<Record<ComplaintAction, ComplaintStatus>>> = {
  opened: { acknowledge: 'acknowledged', 'mark-duplicate': 'duplicate', cancel: 'cancelled' },
  acknowledged: { start: 'in-progress', 'mark-duplicate': 'duplicate', cancel: 'cancelled' },
  'in-progress': { 'await-guest': 'awaiting-guest', resolve: 'resolved', cancel: 'cancelled' },
  'awaiting-guest': { resume: 'in-progress', resolve: 'resolved', cancel: 'cancelled' },
  resolved: { close: 'closed', reopen: 'in-progress' },
  closed: {},
  duplicate: {},
  cancelled: {},
};

/** Statuses in which the complaint is still being handled, so SLA timers run and escalation applies. */
export const ACTIVE_STATUSES: readonly ComplaintStatus[] = [
  'opened',
  'acknowledged',
  'in-progress',
  'awaiting-guest',
];

export function allowedActions(status: ComplaintStatus): ComplaintAction[] {
  return COMPLAINT_ACTIONS.filter((action) => TRANSITIONS[status][action] !== undefined);
}

/** @throws ComplaintError ILLEGAL_TRANSITION naming the actions the status allows. */
export function nextStatus(status: ComplaintStatus, action: ComplaintAction): ComplaintStatus {
  const next = TRANSITIONS[status][action];
  if (next) return next;
  throw illegalTransition(status, action);
}

/** Escalating or reassigning changes the complaint, not its status, and only while it is being handled. */
export function assertActive(status: ComplaintStatus, action: 'escalate' | 'assign'): void {
  if (!ACTIVE_STATUSES.includes(status)) throw illegalTransition(status, action);
}

/** Compensation goes with handling the complaint: until it is closed (or set aside as duplicate/cancelled). */
export function assertCompensable(status: ComplaintStatus): void {
  if (status !== 'resolved' && !ACTIVE_STATUSES.includes(status))
    throw illegalTransition(status, 'compensate');
}

function illegalTransition(status: ComplaintStatus, action: string): ComplaintError {
  const allowed = allowedActions(status);
  return new ComplaintError(
    ComplaintErrorCode.ILLEGAL_TRANSITION,
    `cannot ${action} a complaint that is ${status}; allowed: ${allowed.join(', ') || '(none, it is final)'}`,
    { status, action, allowed },
  );
}

/** @throws ComplaintError REOPEN_WINDOW_PASSED once `days` have gone by since the resolution. */
export function assertReopenable(resolvedAt: Date, now: Date, days: number): void {
  const closesAt = new Date(resolvedAt.getTime() + days * 86_400_000);
  if (now <= closesAt) return;
  throw new ComplaintError(
    ComplaintErrorCode.REOPEN_WINDOW_PASSED,
    `a complaint can be reopened within ${days} days of its resolution; that ended at ${closesAt.toISOString()}`,
    { reopenableUntil: closesAt.toISOString() },
  );
}
