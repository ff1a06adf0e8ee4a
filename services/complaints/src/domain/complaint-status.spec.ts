import { ComplaintError } from './complaint-error';
import {
  allowedActions,
  assertCompensable,
  assertActive,
  assertReopenable,
  COMPLAINT_ACTIONS,
  COMPLAINT_STATUSES,
  nextStatus,
  type ComplaintAction,
  type ComplaintStatus,
} from './complaint-status';

const LEGAL: [ComplaintStatus, ComplaintAction, ComplaintStatus][] = [
  ['opened', 'acknowledge', 'acknowledged'],
  ['opened', 'mark-duplicate', 'duplicate'],
  ['opened', 'cancel', 'cancelled'],
  ['acknowledged', 'start', 'in-progress'],
  ['acknowledged', 'mark-duplicate', 'duplicate'],
  ['acknowledged', 'cancel', 'cancelled'],
  ['in-progress', 'await-guest', 'awaiting-guest'],
  ['in-progress', 'resolve', 'resolved'],
  ['in-progress', 'cancel', 'cancelled'],
  ['awaiting-guest', 'resume', 'in-progress'],
  ['awaiting-guest', 'resolve', 'resolved'],
  ['awaiting-guest', 'cancel', 'cancelled'],
  ['resolved', 'close', 'closed'],
  ['resolved', 'reopen', 'in-progress'],
];

const isLegal = (status: ComplaintStatus, action: ComplaintAction) =>
  LEGAL.some(([from, via]) => from === status && via === action);

const ILLEGAL = COMPLAINT_STATUSES.flatMap((status) =>
  COMPLAINT_ACTIONS.filter((action) => !isLegal(status, action)).map(
    (action) => [status, action] as [ComplaintStatus, ComplaintAction],
  ),
);

describe('complaint state machine', () => {
  it.each(LEGAL)('should move %s --%s--> %s', (from, action, to) => {
    expect(nextStatus(from, action)).toBe(to);
  });

  it.each(ILLEGAL)('should refuse %s --%s-- and name the allowed actions', (from, action) => {
    const refusal = (() => {
      try {
        nextStatus(from, action);
      } catch (error) {
        return error as ComplaintError;
      }
      throw new Error('expected a refusal');
    })();
    expect(refusal.code).toBe('ILLEGAL_TRANSITION');
    expect(refusal.details).toEqual({ status: from, action, allowed: allowedActions(from) });
  });

  it('should say a final status allows nothing', () => {
    expect(() => nextStatus('closed', 'reopen')).toThrow(
      'cannot reopen a complaint that is closed; allowed: (none, it is final)',
    );
  });

  it('should allow escalation and reassignment only while the complaint is being handled', () => {
    expect(() => assertActive('awaiting-guest', 'escalate')).not.toThrow();
    expect(() => assertActive('resolved', 'escalate')).toThrow(
      'cannot escalate a complaint that is resolved; allowed: close, reopen',
    );
  });

  it('should allow compensation until the complaint is closed', () => {
    expect(() => assertCompensable('resolved')).not.toThrow();
    expect(() => assertCompensable('cancelled')).toThrow('cannot compensate a complaint that is cancelled');
  });

  it('should allow reopening until the window ends and refuse it after', () => {
    const resolvedAt = new Date('2026-03-01T10:00:00Z');
    expect(() => assertReopenable(resolvedAt, new Date('2026-03-08T10:00:00Z'), 7)).not.toThrow();
    expect(() => assertReopenable(resolvedAt, new Date('2026-03-08T10:00:01Z'), 7)).toThrow(
      expect.objectContaining({
        code: 'REOPEN_WINDOW_PASSED',
        details: { reopenableUntil: '2026-03-08T10:00:00.000Z' },
      }),
    );
  });
});
