import { isTransientDatabaseError } from './transient-errors';

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

  it('should call a dropped database permanent when the code is 57P04', () => {
    expect(isTransientDatabaseError({ code: '57P04', message: 'database "loyalty" does not exist' })).toBe(
      false,
    );
  });

  it('should look into an AggregateError when each address refused the connection', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' });
    expect(isTransientDatabaseError(new AggregateError([refused], ''))).toBe(true);
  });

  it('should call a constraint violation or a plain bug permanent', () => {
    expect(isTransientDatabaseError({ code: '23505', message: 'duplicate key value' })).toBe(false);
    expect(isTransientDatabaseError(new TypeError('x is undefined'))).toBe(false);
  });
});
