import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** The JSDoc of a class and of its properties, read from the source. */
export interface ClassDocs {
  description?: string;
  properties: Map<string, string>;
}

/**
 * Reads the JSDoc of every class under `sourceRoot`, so the AsyncAPI document carries the field docs
 * written once on the DTOs. Needs the TypeScript sources: run from source (as the generator and the
 * spec do), not from compiled output.
 */
export function readClassDocs(sourceRoot: string): Map<string, ClassDocs> {
  const docs = new Map<string, ClassDocs>();
  const files = sourceFiles(sourceRoot);
  if (files.length === 0)
    throw new Error(`no TypeScript sources under ${sourceRoot}: run the generator from source`);
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    source.forEachChild((node) => {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const properties = new Map<string, string>();
      for (const member of node.members) {
        const text =
          ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name) ? docOf(member) : undefined;
        if (text && ts.isPropertyDeclaration(member)) properties.set(member.name.getText(source), text);
      }
      docs.set(node.name.text, { description: docOf(node), properties });
    });
  }
  return docs;
}

function docOf(node: ts.Node): string | undefined {
  const text = ts
    .getJSDocCommentsAndTags(node)
    .filter(ts.isJSDoc)
    .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '')
    .join('\n')
    .trim();
  return text.length > 0 ? text.replace(/\s*\n\s*/g, ' ') : undefined;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(path);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
    })
    .sort();
}
