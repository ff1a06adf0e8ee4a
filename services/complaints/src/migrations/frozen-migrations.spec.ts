import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { forbiddenLoads, migrationFiles } from '@loyalty/testing/frozen-migrations';

const migrations = migrationFiles(__dirname);

describe('complaints migrations', () => {
  it('should find the migrations', () => {
    expect(migrations).toEqual(
      expect.arrayContaining([
        '1760000004000-complaints.ts',
        '1760000005100-duplicates-of-standing-originals.ts',
        '1760000005200-duplicates-of-cancelled-originals.ts',
        '1760000005300-take-ups-to-announce.ts',
      ]),
    );
  });

  // Each runs on old databases long after it shipped, when our code has moved on (see forbiddenLoads).
  it.each(migrations)('should load none of the service’s code nor our libraries in %s', (file) => {
    expect(forbiddenLoads(readFileSync(join(__dirname, file), 'utf8'))).toEqual([]);
  });
});
