import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { forbiddenLoads, migrationFiles } from '@loyalty/testing/frozen-migrations';

const migrations = migrationFiles(__dirname);

describe('points-ledger migrations', () => {
  it('should find the migrations', () => {
    expect(migrations).toEqual(
      expect.arrayContaining(['1760000002000-ledger.ts', '1760000013000-cheaper-writes.ts']),
    );
  });

  // Each runs on old databases long after it shipped, when our code has moved on (see forbiddenLoads).
  it.each(migrations)('should load none of the service’s code nor our libraries in %s', (file) => {
    expect(forbiddenLoads(readFileSync(join(__dirname, file), 'utf8'))).toEqual([]);
  });
});
