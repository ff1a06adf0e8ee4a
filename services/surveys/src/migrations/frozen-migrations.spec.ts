import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const migrations = readdirSync(__dirname).filter(
  (file) => /^\d+-.*\.ts$/.test(file) && !file.endsWith('.spec.ts'),
);

describe('surveys migrations', () => {
  it('should find the migrations', () => {
    expect(migrations).toContain('1760000004500-skipped-invitations-under-survivors.ts');
  });

  // A migration runs on old databases long after it shipped, before the migrations that came later: the
  // service's code changes with those, and could name columns not there yet, or do other than it did.
  it.each(migrations)('should import none of the service’s code in %s', (file) => {
    const source = readFileSync(join(__dirname, file), 'utf8');
    const imported = [...source.matchAll(/\bfrom\s+'([^']+)'/g)].map(([, module]) => module);
    expect(imported.filter((module) => module.startsWith('.') || module.startsWith('@loyalty/'))).toEqual([]);
  });
});
