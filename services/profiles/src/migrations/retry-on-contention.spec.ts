import { QueryFailedError } from 'typeorm';
import { retryOnContention } from './retry-on-contention';

describe('running a transaction again when Postgres gave it up for another', () => {
  const settings = { maxAttempts: 3, initialBackoffMs: 1, maxBackoffMs: 2 };
  /** A failed statement as TypeORM hands it on, with the SQLSTATE Postgres answered. */
  const failed = (code: string, message: string) =>
    new QueryFailedError('select 1', [], Object.assign(new Error(message), { code }));

  /** An attempt that fails with `errors` in turn, then answers `done`; `calls` counts the attempts. */
  function failingWith(...errors: Error[]) {
    const attempt = async () => {
      attempt.calls += 1;
      const error = errors[attempt.calls - 1];
      if (error) throw error;
      return 'done';
    };
    attempt.calls = 0;
    return attempt;
  }

  it('should run again after a deadlock and a serialization failure, saying so each time, and answer as the last run did', async () => {
    const warnings: string[] = [];
    const attempt = failingWith(
      failed('40P01', 'deadlock detected'),
      failed('40001', 'could not serialize access due to concurrent update'),
    );

    await expect(
      retryOnContention(attempt, { what: 'the batch', warn: (m) => warnings.push(m), settings }),
    ).resolves.toBe('done');
    expect(attempt.calls).toBe(3);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^the batch gave way to another transaction \(deadlock detected\): attempt 2 of 3/,
      ),
      expect.stringMatching(/^the batch gave way .*could not serialize access.*: attempt 3 of 3/),
    ]);
  });

  it('should throw any other error at once, without running again', async () => {
    const warnings: string[] = [];
    const attempt = failingWith(failed('23505', 'duplicate key value violates unique constraint'));

    await expect(
      retryOnContention(attempt, { what: 'the batch', warn: (m) => warnings.push(m), settings }),
    ).rejects.toThrow('duplicate key value');
    expect(attempt.calls).toBe(1);
    expect(warnings).toEqual([]);
  });

  it('should give up with the last deadlock when every attempt allowed deadlocked', async () => {
    const deadlock = () => failed('40P01', 'deadlock detected');
    const attempt = failingWith(deadlock(), deadlock(), deadlock(), deadlock());

    await expect(
      retryOnContention(attempt, { what: 'the batch', warn: () => undefined, settings }),
    ).rejects.toThrow('deadlock detected');
    expect(attempt.calls).toBe(3);
  });
});
