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

  it('should call a constraint violation or a plain bug permanent', () => {
    expect(isTransientDatabaseError({ code: '23505', message: 'duplicate key value' })).toBe(false);
    expect(isTransientDatabaseError(new TypeError('x is undefined'))).toBe(false);
  });
});
