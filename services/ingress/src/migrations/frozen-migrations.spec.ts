import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { forbiddenLoads, migrationFiles } from '@loyalty/testing/frozen-migrations';

const migrations = migrationFiles(__dirname);

describe('ingress migrations', () => {
  it('should find the migrations', () => {
    expect(migrations).toEqual(expect.arrayContaining(['1760000006200-ingested-event-confirmation.ts']));
  });

  // Each runs on old databases long after it shipped, when our code has moved on (see forbiddenLoads).
  it.each(migrations)('should load none of the service’s code nor our libraries in %s', (file) => {
    expect(forbiddenLoads(readFileSync(join(__dirname, file), 'utf8'))).toEqual([]);
  });
});
