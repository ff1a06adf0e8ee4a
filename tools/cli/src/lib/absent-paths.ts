import { closeMatches } from './close-matches';
import type { FilterNode } from './filter-expression';

/** The paths a `--where` tree reads, e.g. `[['data', 'nights'], ['type']]`. */
export function filterPaths(node: FilterNode): string[][] {
  switch (node.kind) {
    case 'literal':
      return [];
    case 'path':
      return [node.segments];
    case 'not':
      return filterPaths(node.operand);
    default:
      return [...filterPaths(node.left), ...filterPaths(node.right)];
  }
}

/** Enough names to suggest from, without growing with every odd payload a long tail reads. */
const MOST_NEARBY_NAMES = 500;

/**
 * The `--where` paths that none of the records read has, with the names those records have in their
 * place. A misspelt path (`data.nigths`) is no syntax error and matches nothing: without this a tail
 * would print nothing and say nothing.
 */
export class AbsentPaths {
  private readonly absent = new Map<string, { segments: string[]; nearby: Set<string> }>();
  private read = 0;

  constructor(paths: string[][]) {
    for (const segments of paths) this.absent.set(segments.join('.'), { segments, nearby: new Set() });
  }

  /** Once every path was found, there is nothing left to look for. */
  get allFound(): boolean {
    return this.absent.size === 0;
  }

  see(subject: Record<string, unknown>): void {
    this.read++;
    for (const [name, { segments, nearby }] of this.absent) {
      let current: unknown = subject;
      for (const [depth, segment] of segments.entries()) {
        if (current === null || typeof current !== 'object') break;
        if (!Object.hasOwn(current, segment)) {
          for (const sibling of Object.keys(current)) {
            if (nearby.size >= MOST_NEARBY_NAMES) break;
            nearby.add([...segments.slice(0, depth), sibling, ...segments.slice(depth + 1)].join('.'));
          }
          break;
        }
        current = (current as Record<string, unknown>)[segment];
        if (depth === segments.length - 1) this.absent.delete(name);
      }
    }
  }

  /** One line per path no record had; none before a record was read, when none could have had it. */
  warnings(): string[] {
    if (this.read === 0) return [];
    return [...this.absent].map(([name, { nearby }]) => {
      const matches = closeMatches(name, [...nearby]);
      const suggestion = matches.length > 0 ? `; did you mean: ${matches.join(', ')}?` : '';
      return `--where reads ${name}, which none of the ${this.read} event(s) read has${suggestion}`;
    });
  }
}
