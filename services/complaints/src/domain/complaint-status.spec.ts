import { ComplaintError } from './complaint-error';
import {
  allowedActions,
  allowedActionsAt,
  assertActive,
  assertNotClosed,
  assertReopenable,
  closesComplaint,
  closureOutcome,
  COMPLAINT_ACTIONS,
  COMPLAINT_STATUSES,
  nextStatus,
  type ComplaintAction,
  type ComplaintStanding,
  type ComplaintStatus,
} from './complaint-status';

/** A complaint as the state machine sees it; closed ones carry the guest's follow-up answer unless noted. */
const at = (status: ComplaintStatus, satisfaction: number | null = status === 'closed' ? 4 : null) => ({
  status,
  satisfaction,
});
const closedUnanswered = at('closed', null);

const LEGAL: [ComplaintStanding, ComplaintAction, ComplaintStatus][] = [
  [at('opened'), 'acknowledge', 'acknowledged'],
  [at('opened'), 'mark-duplicate', 'duplicate'],
  [at('opened'), 'cancel', 'cancelled'],
  [at('acknowledged'), 'start', 'in-progress'],
  [at('acknowledged'), 'mark-duplicate', 'duplicate'],
  [at('acknowledged'), 'cancel', 'cancelled'],
  [at('in-progress'), 'await-guest', 'awaiting-guest'],
  [at('in-progress'), 'resolve', 'resolved'],
  [at('in-progress'), 'cancel', 'cancelled'],
  [at('awaiting-guest'), 'resume', 'in-progress'],
  [at('awaiting-guest'), 'resolve', 'resolved'],
  [at('awaiting-guest'), 'cancel', 'cancelled'],
  [at('resolved'), 'close', 'closed'],
  [at('resolved'), 'reopen', 'in-progress'],
  [closedUnanswered, 'reopen', 'in-progress'],
];

const isLegal = (complaint: ComplaintStanding, action: ComplaintAction) =>
  LEGAL.some(
    ([from, via]) =>
      from.status === complaint.status && from.satisfaction === complaint.satisfaction && via === action,
  );

const ILLEGAL = [...COMPLAINT_STATUSES.map((status) => at(status)), closedUnanswered].flatMap((complaint) =>
  COMPLAINT_ACTIONS.filter((action) => !isLegal(complaint, action)).map(
    (action) => [complaint, action] as [ComplaintStanding, ComplaintAction],
  ),
);

describe('complaint state machine', () => {
  it.each(LEGAL)('should move %o --%s--> %s', (from, action, to) => {
    expect(nextStatus(from, action)).toBe(to);
  });

  it.each(ILLEGAL)('should refuse %o --%s-- and name the allowed actions', (from, action) => {
    const refusal = (() => {
      try {
        nextStatus(from, action);
      } catch (error) {
        return error as ComplaintError;
      }
      throw new Error('expected a refusal');
    })();
    expect(refusal.code).toBe('ILLEGAL_TRANSITION');
    expect(refusal.details).toEqual({ status: from.status, action, allowed: allowedActions(from) });
  });

  it('should say a complaint closed with the guest’s follow-up answer allows nothing', () => {
    expect(() => nextStatus(at('closed', 5), 'reopen')).toThrow(
      'cannot reopen a complaint that is closed; allowed: (none, it is final)',
    );
  });

  it('should let a complaint closed because the follow-up went unanswered be reopened, and nothing else', () => {
    expect(allowedActions(closedUnanswered)).toEqual(['reopen']);
    expect(nextStatus(closedUnanswered, 'reopen')).toBe('in-progress');
    expect(() => nextStatus(closedUnanswered, 'close')).toThrow(
      'cannot close a complaint that is closed; allowed: reopen',
    );
    expect(() => assertNotClosed(closedUnanswered, 'compensate')).toThrow(
      'cannot compensate a complaint that is closed; allowed: reopen',
    );
  });

  it.each([
    [5, 'resolved'],
    [4, 'resolved'],
    [3, 'unresolved'],
    [1, 'unresolved'],
    [null, 'unresolved'],
  ])('should close a complaint whose guest answered %p as %s', (satisfaction, outcome) => {
    expect(closureOutcome(at('closed', satisfaction))).toBe(outcome);
  });

  it('should allow escalation and reassignment only while the complaint is being handled', () => {
    expect(() => assertActive(at('awaiting-guest'), 'escalate')).not.toThrow();
    expect(() => assertActive(at('resolved'), 'escalate')).toThrow(
      'cannot escalate a complaint that is resolved; allowed: close, reopen',
    );
  });

  it('should allow compensation and reclassification until the complaint is closed', () => {
    expect(() => assertNotClosed(at('resolved'), 'compensate')).not.toThrow();
    expect(() => assertNotClosed(at('cancelled'), 'compensate')).toThrow(
      'cannot compensate a complaint that is cancelled',
    );
    expect(() => assertNotClosed(at('awaiting-guest'), 'reclassify')).not.toThrow();
    expect(() => assertNotClosed(at('duplicate'), 'reclassify')).toThrow(
      'cannot reclassify a complaint that is duplicate',
    );
  });

  it('should close the complaint, ending its pending offers, on every move to closed, duplicate or cancelled', () => {
    const closing = LEGAL.filter(([from, , to]) => closesComplaint(from.status, to)).map(
      ([from, action]) => `${from.status} --${action}`,
    );
    expect(closing).toEqual([
      'opened --mark-duplicate',
      'opened --cancel',
      'acknowledged --mark-duplicate',
      'acknowledged --cancel',
      'in-progress --cancel',
      'awaiting-guest --cancel',
      // By staff with the follow-up's answer, and by the follow-up's timeout (the same move, unanswered).
      'resolved --close',
    ]);
    // A reopen takes it back into handling; resolving leaves it open to compensation.
    expect(closesComplaint('closed', 'in-progress')).toBe(false);
    expect(closesComplaint('in-progress', 'resolved')).toBe(false);
  });

  describe('allowed actions as of an instant', () => {
    const resolvedAt = new Date('2026-03-01T10:00:00Z');
    const within = new Date('2026-03-15T10:00:00Z');
    const after = new Date('2026-03-15T10:00:01Z');

    it.each([
      ['resolved', { ...at('resolved'), resolvedAt }, ['close']],
      ['closed by the unanswered follow-up', { ...closedUnanswered, resolvedAt }, []],
    ])('should leave out reopen once the window has passed (%s)', (_, complaint, afterWindow) => {
      expect(allowedActionsAt(complaint, within, 14)).toEqual(allowedActions(complaint));
      expect(allowedActionsAt(complaint, within, 14)).toContain('reopen');
      expect(allowedActionsAt(complaint, after, 14)).toEqual(afterWindow);
      // The same instant the command refuses from.
      expect(() => assertReopenable(resolvedAt, within, 14)).not.toThrow();
      expect(() => assertReopenable(resolvedAt, after, 14)).toThrow(
        expect.objectContaining({ code: 'REOPEN_WINDOW_PASSED' }),
      );
    });

    it('should leave the other states’ actions as they are', () => {
      const handled = { ...at('in-progress'), resolvedAt: null };
      expect(allowedActionsAt(handled, after, 14)).toEqual(allowedActions(handled));
    });
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
