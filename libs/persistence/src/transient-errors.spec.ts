import { QueryFailedError } from 'typeorm';
import { isCancelledStatement, isContention, isTransientDatabaseError, sqlStateOf } from './transient-errors';

describe('isTransientDatabaseError', () => {
  it('should call a refused connection transient', () => {
    expect(
      isTransientDatabaseError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    ).toBe(true);
  });

  it('should call an admin shutdown and a serialization failure transient', () => {
    expect(
      isTransientDatabaseError({
        code: '57P01',
        message: 'terminating connection due to administrator command',
      }),
    ).toBe(true);
    expect(isTransientDatabaseError({ code: '40001', message: 'could not serialize access' })).toBe(true);
  });

  it('should look through a TypeORM QueryFailedError to the driver error', () => {
    expect(isTransientDatabaseError({ message: 'query failed', driverError: { code: '08006' } })).toBe(true);
  });

  it('should call a temporary DNS failure, an unreachable network and a closed pg client transient', () => {
    expect(
      isTransientDatabaseError(Object.assign(new Error('getaddrinfo EAI_AGAIN db'), { code: 'EAI_AGAIN' })),
    ).toBe(true);
    expect(isTransientDatabaseError({ code: 'ENETUNREACH', message: 'connect ENETUNREACH' })).toBe(true);
    expect(isTransientDatabaseError(new Error('Client was closed and is not queryable'))).toBe(true);
  });

  it('should call every server shutdown transient when the code is in class 57P', () => {
    for (const code of ['57P01', '57P02', '57P03', '57P05'])
      expect(isTransientDatabaseError({ code, message: 'x' })).toBe(true);
  });

  it('should call a dropped database permanent when the code is 57P04, though its message reads as a shutdown', () => {
    // The one message Postgres raises 57P04 with.
    const dropped = { code: '57P04', message: 'terminating connection due to conflict with recovery' };
    expect(isTransientDatabaseError(dropped)).toBe(false);
    expect(isTransientDatabaseError(Object.assign(new Error('query failed'), { driverError: dropped }))).toBe(
      false,
    );
  });

  it('should look into an AggregateError when each address refused the connection', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' });
    expect(isTransientDatabaseError(new AggregateError([refused], ''))).toBe(true);
  });

  it('should not call a cancelled statement transient, and should tell it by its SQLSTATE', () => {
    const timedOut = new QueryFailedError(
      'select pg_sleep(10)',
      [],
      Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
    );
    expect(isTransientDatabaseError(timedOut)).toBe(false);
    expect(isCancelledStatement(timedOut)).toBe(true);
    expect(isCancelledStatement({ code: '55P03', message: 'canceling statement due to lock timeout' })).toBe(
      false,
    );
  });

  it('should tell a cancelled statement wrapped in an error of its caller, as its cause', () => {
    const timedOut = new QueryFailedError(
      'select pg_sleep(10)',
      [],
      Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
    );
    const wrapped = new Error('recording the stay failed', { cause: timedOut });
    expect(isCancelledStatement(wrapped)).toBe(true);
    expect(isTransientDatabaseError(wrapped)).toBe(false);
    expect(isCancelledStatement(new Error('outer', { cause: new Error('no code') }))).toBe(false);
  });

  it('should call a constraint violation or a plain bug permanent', () => {
    expect(isTransientDatabaseError({ code: '23505', message: 'duplicate key value' })).toBe(false);
    expect(isTransientDatabaseError(new TypeError('x is undefined'))).toBe(false);
  });
});

describe('isContention', () => {
  /** A failed statement as TypeORM hands it on, with the SQLSTATE Postgres answered. */
  const failed = (code: string, message: string) =>
    new QueryFailedError('select 1', [], Object.assign(new Error(message), { code }));

  it('should tell a deadlock or serialization failure from a lock timeout or a dropped connection', () => {
    expect(isContention(failed('40P01', 'deadlock detected'))).toBe(true);
    expect(isContention(Object.assign(new Error('could not serialize access'), { code: '40001' }))).toBe(
      true,
    );
    expect(isContention(failed('55P03', 'canceling statement due to lock timeout'))).toBe(false);
    expect(isContention(Object.assign(new Error('Connection terminated'), { code: 'ECONNRESET' }))).toBe(
      false,
    );
    expect(isContention(new TypeError('x is undefined'))).toBe(false);
  });

  it("should read the SQLSTATE through TypeORM's error, and none from an error without one", () => {
    expect(sqlStateOf({ message: 'query failed', driverError: { code: '42P01' } })).toBe('42P01');
    expect(
      sqlStateOf(new Error('outer', { cause: { message: 'query failed', driverError: { code: '40P01' } } })),
    ).toBe('40P01');
    const wrapped = Object.assign(new Error('the handler gave up', { cause: { code: '40001' } }), {
      code: 'HANDLER_FAILED',
    });
    expect(sqlStateOf(wrapped)).toBe('40001');
    expect(sqlStateOf(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toBeUndefined();
    expect(sqlStateOf(new Error('no code'))).toBeUndefined();
    expect(sqlStateOf(undefined)).toBeUndefined();
  });
});
