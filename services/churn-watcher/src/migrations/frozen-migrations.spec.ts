import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { forbiddenLoads, migrationFiles } from '@loyalty/testing/frozen-migrations';

const migrations = migrationFiles(__dirname);

describe('churn-watcher migrations', () => {
  it('should find the migrations', () => {
    expect(migrations).toEqual(
      expect.arrayContaining([
        '1760000005000-churn-watcher.ts',
        '1760000005400-profiling-consents.ts',
        '1760000005500-open-alerts-newest-first.ts',
      ]),
    );
  });

  // Each runs on old databases long after it shipped, when our code has moved on (see forbiddenLoads).
  it.each(migrations)('should load none of the service’s code nor our libraries in %s', (file) => {
    expect(forbiddenLoads(readFileSync(join(__dirname, file), 'utf8'))).toEqual([]);
  });
});
