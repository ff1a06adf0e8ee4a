import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The first migration written frozen; the ones before it still share code with the service.
const FIRST_FROZEN = 1760000005200;

const migrations = readdirSync(__dirname).filter(
  (file) => /^\d+-.*\.ts$/.test(file) && !file.endsWith('.spec.ts') && parseInt(file, 10) >= FIRST_FROZEN,
);

describe('complaints migrations', () => {
  it('should find the migrations written frozen', () => {
    expect(migrations).toContain('1760000005200-duplicates-of-cancelled-originals.ts');
  });

  // A migration runs on old databases long after it shipped, before the migrations that came later: the
  // service's code changes with those, and could name columns not there yet, or do other than it did.
  it.each(migrations)('should import none of the service’s code in %s', (file) => {
    const source = readFileSync(join(__dirname, file), 'utf8');
    const imported = [...source.matchAll(/\bfrom\s+'([^']+)'/g)].map(([, module]) => module);
    expect(imported.filter((module) => module.startsWith('.'))).toEqual([]);
  });
});
