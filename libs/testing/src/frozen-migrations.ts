import { readdirSync } from 'node:fs';
import ts from 'typescript';

// A migration runs on old databases long after it shipped, before the migrations that came later: the
// service's code and our libraries change with those, and could name columns not there yet, or do other
// than it did. So a migration is frozen: it holds the SQL and arithmetic of its time, and these tell one
// that loads any of our code.

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
export function modulesLoaded(source: string): string[] {
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
export const forbiddenLoads = (source: string): string[] =>
  modulesLoaded(source).filter((load) => !PURE_MODULES.has(load.slice(load.lastIndexOf(' ') + 1)));

/** The migrations in `directory`: `<timestamp>-<name>.ts`. */
export function migrationFiles(directory: string): string[] {
  return readdirSync(directory).filter((file) => /^\d+-.*\.ts$/.test(file) && !file.endsWith('.spec.ts'));
}
