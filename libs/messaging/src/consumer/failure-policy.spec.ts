import { PermanentEventError } from '../errors';
import { backoffDelay, decideOnFailure } from './failure-policy';

const settings = { maxAttempts: 3, initialBackoffMs: 100, maxBackoffMs: 1_000 };

describe('decideOnFailure', () => {
  it('should dead-letter a permanent handler error at once with its code', () => {
    expect(decideOnFailure(new PermanentEventError('ACCOUNT_CLOSED', 'closed'), 1, settings)).toEqual({
      action: 'dead-letter',
      reason: 'ACCOUNT_CLOSED',
    });
  });

  it('should retry a database outage however many attempts it took', () => {
    const outage = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(decideOnFailure(outage, 50, settings).action).toBe('retry');
  });

  it('should retry a failing handler until the attempts run out, then dead-letter it', () => {
    const bug = new Error('boom');
    expect(decideOnFailure(bug, 2, settings).action).toBe('retry');
    expect(decideOnFailure(bug, 3, settings)).toEqual({ action: 'dead-letter', reason: 'HANDLER_FAILED' });
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
