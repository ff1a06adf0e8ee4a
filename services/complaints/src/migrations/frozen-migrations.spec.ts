import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

// Every migration: those before 1760000005100 only ever imported typeorm's types, and 1760000005100 and
// 1760000005200 were rewritten to be frozen as they shipped.
const FIRST_FROZEN = 1760000004000;

/**
 * The modules a migration may load when it runs: Node's own, which no release of ours changes. Type-only
 * imports (`import type`, `export type ... from`) load nothing and may name any module, typeorm's
 * `MigrationInterface` and `QueryRunner` among them; `@loyalty/*` and the service's own files may not be
 * loaded in any form.
 */
const PURE_MODULES = new Set(['node:crypto']);

/**
 * Every module `source` loads at run time, as `<form> <module>`: imports (side-effect ones too) and
 * re-exports that are not type-only, `import x = require()`, `require()` and `import()`. Any other use of
 * `require`, or a module named by an expression, is listed as `<dynamic>`: what it loads cannot be told.
 */
function modulesLoaded(source: string): string[] {
  const file = ts.createSourceFile('migration.ts', source, ts.ScriptTarget.Latest, true);
  const loaded: string[] = [];
  const named = (form: string, specifier: ts.Node | undefined) =>
    loaded.push(`${form} ${specifier && ts.isStringLiteralLike(specifier) ? specifier.text : '<dynamic>'}`);
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      // `import { type A }` still loads the module where imports are kept as written; `import type` never does.
      if (!node.importClause?.isTypeOnly) named('import', node.moduleSpecifier);
      return;
    }
    if (ts.isExportDeclaration(node)) {
      if (node.moduleSpecifier && !node.isTypeOnly) named('export from', node.moduleSpecifier);
      return;
    }
    if (ts.isImportEqualsDeclaration(node)) {
      if (ts.isExternalModuleReference(node.moduleReference) && !node.isTypeOnly)
        named('import = require', node.moduleReference.expression);
      return;
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (
        callee.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(callee) && callee.text === 'require')
      ) {
        named(callee.kind === ts.SyntaxKind.ImportKeyword ? 'import()' : 'require()', node.arguments[0]);
        node.arguments.forEach(visit);
        return;
      }
    }
    if (ts.isIdentifier(node) && node.text === 'require') named('require', undefined);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return loaded;
}

/** What `source` loads at run time beyond the pure modules. */
const forbidden = (source: string) =>
  modulesLoaded(source).filter((load) => !PURE_MODULES.has(load.slice(load.lastIndexOf(' ') + 1)));

const migrations = readdirSync(__dirname).filter(
  (file) => /^\d+-.*\.ts$/.test(file) && !file.endsWith('.spec.ts') && parseInt(file, 10) >= FIRST_FROZEN,
);

describe('complaints migrations', () => {
  it('should find the migrations written frozen', () => {
    expect(migrations).toEqual(
      expect.arrayContaining([
        '1760000004000-complaints.ts',
        '1760000005100-duplicates-of-standing-originals.ts',
        '1760000005200-duplicates-of-cancelled-originals.ts',
        '1760000005300-take-ups-to-announce.ts',
      ]),
    );
  });

  // A migration runs on old databases long after it shipped, before the migrations that came later: the
  // service's code and our libraries change with those, and could name columns not there yet, or do other
  // than it did.
  it.each(migrations)('should load none of the service’s code nor our libraries in %s', (file) => {
    expect(forbidden(readFileSync(join(__dirname, file), 'utf8'))).toEqual([]);
  });

  describe('the check', () => {
    it.each([
      [
        "import { SYSTEM_ACTOR } from '../complaints/complaint-record';",
        'import ../complaints/complaint-record',
      ],
      ["import { AUDIT_VIEW } from './audit-view';", 'import ./audit-view'],
      ["import { addDays } from '@loyalty/time';", 'import @loyalty/time'],
      ["import * as time from '@loyalty/time';", 'import @loyalty/time'],
      ["import '../sla/register';", 'import ../sla/register'],
      ["import { type QueryRunner } from 'typeorm';", 'import typeorm'],
      ["import { Table } from 'typeorm';", 'import typeorm'],
      ["export { AUDIT_VIEW } from './audit-view';", 'export from ./audit-view'],
      ["export * from '@loyalty/time';", 'export from @loyalty/time'],
      ["import time = require('@loyalty/time');", 'import = require @loyalty/time'],
      ["const { policyById } = require('../domain');", 'require() ../domain'],
      ['const domain = require(`../domain`);', 'require() ../domain'],
      ["async function f() { return import('../domain'); }", 'import() ../domain'],
      ["const where = '../domain'; require(where);", 'require() <dynamic>'],
      ["const load = require; load('../domain');", 'require <dynamic>'],
      ["const m = module.require('../domain');", 'require <dynamic>'],
    ])('should refuse a migration when it loads a module: %s', (source, load) => {
      expect(forbidden(source)).toEqual([load]);
    });

    it.each([
      "import type { MigrationInterface, QueryRunner } from 'typeorm';",
      "import type { SlaPolicy } from '../domain';",
      "export type { Calendar } from './calendar';",
      "import { randomUUID } from 'node:crypto';",
      "const note = 'the service used to require(../domain) and import(@loyalty/time)';",
    ])('should let a migration through when it loads no module of ours: %s', (source) => {
      expect(forbidden(source)).toEqual([]);
    });
  });
});
