import { PermanentEventError } from '../errors';
import { backoffDelay, decideOnFailure, isHandlerFailure } from './failure-policy';

const settings = { maxAttempts: 3, initialBackoffMs: 100, maxBackoffMs: 1_000 };

const first = { attempt: 1, handlerFailures: 0 };

describe('decideOnFailure', () => {
  it('should dead-letter a permanent handler error at once with its code', () => {
    expect(decideOnFailure(new PermanentEventError('ACCOUNT_CLOSED', 'closed'), first, settings)).toEqual({
      action: 'dead-letter',
      reason: 'ACCOUNT_CLOSED',
    });
  });

  it('should retry a database outage however many attempts it took', () => {
    const outage = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(decideOnFailure(outage, { attempt: 50, handlerFailures: 2 }, settings).action).toBe('retry');
    expect(isHandlerFailure(outage)).toBe(false);
  });

  it('should take a primary turned read-only by a failover for an outage, not a bug of the handler', () => {
    const readOnly = Object.assign(new Error('cannot execute INSERT in a read-only transaction'), {
      code: '25006',
    });
    expect(decideOnFailure(readOnly, { attempt: 50, handlerFailures: 2 }, settings).action).toBe('retry');
  });

  it('should retry a failing handler until the attempts run out, then dead-letter it', () => {
    const bug = new Error('boom');
    expect(decideOnFailure(bug, { attempt: 2, handlerFailures: 1 }, settings).action).toBe('retry');
    expect(decideOnFailure(bug, { attempt: 3, handlerFailures: 2 }, settings)).toEqual({
      action: 'dead-letter',
      reason: 'HANDLER_FAILED',
    });
    expect(isHandlerFailure(bug)).toBe(true);
  });

  it('should spend attempts on a statement Postgres cancelled, so one that always times out is dead-lettered', () => {
    const timedOut = Object.assign(new Error('canceling statement due to statement timeout'), {
      code: '57014',
    });
    expect(isHandlerFailure(timedOut)).toBe(true);
    expect(decideOnFailure(timedOut, { attempt: 3, handlerFailures: 2 }, settings)).toEqual({
      action: 'dead-letter',
      reason: 'HANDLER_FAILED',
    });
  });

  it('should give a handler its attempts in full after an outage took many tries', () => {
    const bug = new Error('duplicate key value violates unique constraint');
    expect(decideOnFailure(bug, { attempt: 40, handlerFailures: 0 }, settings).action).toBe('retry');
  });
});

describe('backoffDelay', () => {
  it('should double per attempt and stay within the cap', () => {
    expect(backoffDelay(1, settings, () => 1)).toBe(100);
    expect(backoffDelay(3, settings, () => 1)).toBe(400);
    expect(backoffDelay(20, settings, () => 1)).toBe(1_000);
    expect(backoffDelay(3, settings, () => 0)).toBe(200);
  });
});
