/**
 * A small, safe expression language for `--where`: paths into the event envelope (`data.nights`,
 * `subject`, `type`), literals (numbers, "strings", true, false, null), comparisons
 * (== != < <= > >=, and `~=` for "contains"), `&&`, `||`, `!` and parentheses. It is parsed into a
 * tree and interpreted: nothing is ever evaluated as JavaScript.
 */
export type FilterNode =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'path'; segments: string[] }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'compare'; op: CompareOp; left: FilterNode; right: FilterNode };

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '~=';

/** Where a filter stopped parsing (0-based character position) and what it expected there. */
export class FilterSyntaxError extends Error {
  constructor(
    readonly expression: string,
    readonly position: number,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`expected ${expected} at position ${position + 1}, found ${found}`);
    this.name = 'FilterSyntaxError';
  }

  /** The expression with a caret under the position, for the terminal. */
  pointer(): string {
    return `  ${this.expression}\n  ${' '.repeat(this.position)}^`;
  }
}

type Token =
  | { type: 'number'; value: number; at: number; text: string }
  | { type: 'string'; value: string; at: number; text: string }
  | { type: 'ident'; value: string; at: number; text: string }
  | { type: 'op'; value: string; at: number; text: string }
  | { type: 'end'; at: number; text: string };

const OPERATORS = ['&&', '||', '==', '!=', '<=', '>=', '~=', '<', '>', '!', '(', ')', '.', '[', ']'];
const COMPARE_OPS: readonly string[] = ['==', '!=', '<', '<=', '>', '>=', '~='];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(ch) || (ch === '-' && /[0-9]/.test(source[i + 1] ?? ''))) {
      i++;
      while (i < source.length && /[0-9.]/.test(source[i])) i++;
      const text = source.slice(start, i);
      if (!/^-?\d+(\.\d+)?$/.test(text)) throw new FilterSyntaxError(source, start, 'a number', `"${text}"`);
      tokens.push({ type: 'number', value: Number(text), at: start, text });
      continue;
    }
    if (ch === '"' || ch === "'") {
      i++;
      let value = '';
      while (i < source.length && source[i] !== ch) {
        if (source[i] === '\\' && i + 1 < source.length) i++;
        value += source[i];
        i++;
      }
      if (i >= source.length) {
        throw new FilterSyntaxError(source, source.length, `a closing ${ch}`, 'the end of the expression');
      }
      i++;
      tokens.push({ type: 'string', value, at: start, text: source.slice(start, i) });
      continue;
    }
    if (/[A-Za-z_$]/.test(ch)) {
      while (i < source.length && /[A-Za-z0-9_$-]/.test(source[i])) i++;
      const text = source.slice(start, i);
      tokens.push({ type: 'ident', value: text, at: start, text });
      continue;
    }
    const op = OPERATORS.find((candidate) => source.startsWith(candidate, i));
    if (!op) {
      // A single "=" is the most common slip; say what was meant.
      const expected = ch === '=' ? '"==" (comparison)' : 'a value, a path or an operator';
      throw new FilterSyntaxError(source, i, expected, `"${ch}"`);
    }
    i += op.length;
    tokens.push({ type: 'op', value: op, at: start, text: op });
  }
  tokens.push({ type: 'end', at: source.length, text: 'the end of the expression' });
  return tokens;
}

/** Parses `--where` text into a tree; throws FilterSyntaxError with the position on bad input. */
export function parseFilter(source: string): FilterNode {
  if (source.trim() === '') throw new FilterSyntaxError(source, 0, 'an expression', 'nothing');
  const tokens = tokenize(source);
  let pos = 0;
  const peek = (): Token => tokens[pos];
  const describe = (token: Token): string => (token.type === 'end' ? token.text : `"${token.text}"`);
  const fail = (expected: string): never => {
    const token = peek();
    throw new FilterSyntaxError(source, token.at, expected, describe(token));
  };
  const isOp = (value: string): boolean => {
    const token = peek();
    return token.type === 'op' && token.value === value;
  };

  function parseOr(): FilterNode {
    let left = parseAnd();
    while (isOp('||')) {
      pos++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  }
  function parseAnd(): FilterNode {
    let left = parseNot();
    while (isOp('&&')) {
      pos++;
      left = { kind: 'and', left, right: parseNot() };
    }
    return left;
  }
  function parseNot(): FilterNode {
    if (isOp('!')) {
      pos++;
      return { kind: 'not', operand: parseNot() };
    }
    return parseComparison();
  }
  function parseComparison(): FilterNode {
    const left = parsePrimary();
    const token = peek();
    if (token.type === 'op' && COMPARE_OPS.includes(token.value)) {
      pos++;
      return { kind: 'compare', op: token.value as CompareOp, left, right: parsePrimary() };
    }
    return left;
  }
  function parsePrimary(): FilterNode {
    const token = peek();
    if (token.type === 'number' || token.type === 'string') {
      pos++;
      return { kind: 'literal', value: token.value };
    }
    if (token.type === 'ident') {
      if (token.value === 'true' || token.value === 'false') {
        pos++;
        return { kind: 'literal', value: token.value === 'true' };
      }
      if (token.value === 'null') {
        pos++;
        return { kind: 'literal', value: null };
      }
      return parsePath();
    }
    if (isOp('(')) {
      pos++;
      const inner = parseOr();
      if (!isOp(')')) fail('")"');
      pos++;
      return inner;
    }
    return fail('a value (number, "string", true, false, null), a path such as data.nights, or "("');
  }
  function parsePath(): FilterNode {
    const segments = [(peek() as { value: string }).value];
    pos++;
    for (;;) {
      if (isOp('.')) {
        pos++;
        const next = peek();
        if (next.type !== 'ident') fail('a field name after "."');
        segments.push((next as { value: string }).value);
        pos++;
      } else if (isOp('[')) {
        pos++;
        const index = peek();
        if (index.type !== 'number' && index.type !== 'string') fail('an index or "name" inside [ ]');
        segments.push(String((index as { value: string | number }).value));
        pos++;
        if (!isOp(']')) fail('"]"');
        pos++;
      } else {
        return { kind: 'path', segments };
      }
    }
  }

  const tree = parseOr();
  if (peek().type !== 'end') fail('an operator (==, !=, <, <=, >, >=, ~=, &&, ||) or the end');
  return tree;
}

type Value = unknown;

function lookup(root: unknown, segments: string[]): Value {
  let current: unknown = root;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function truthy(value: Value): boolean {
  return value !== undefined && value !== null && value !== false && value !== 0 && value !== '';
}

function compare(op: CompareOp, left: Value, right: Value): boolean {
  // A number compared with a numeric string compares as numbers (amounts often travel as strings).
  if (typeof left === 'number' && typeof right === 'string' && right.trim() !== '' && !isNaN(Number(right)))
    right = Number(right);
  if (typeof right === 'number' && typeof left === 'string' && left.trim() !== '' && !isNaN(Number(left)))
    left = Number(left);
  switch (op) {
    case '==':
      return left === right || (left === undefined && right === null);
    case '!=':
      return !(left === right || (left === undefined && right === null));
    case '~=':
      if (Array.isArray(left)) return left.includes(right);
      return typeof left === 'string' && typeof right === 'string' && left.includes(right);
    default: {
      const ordered =
        (typeof left === 'number' && typeof right === 'number') ||
        (typeof left === 'string' && typeof right === 'string');
      if (!ordered) return false;
      const [l, r] = [left as number | string, right as number | string];
      if (op === '<') return l < r;
      if (op === '<=') return l <= r;
      if (op === '>') return l > r;
      return l >= r;
    }
  }
}

function evaluate(node: FilterNode, subject: unknown): Value {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'path':
      return lookup(subject, node.segments);
    case 'not':
      return !truthy(evaluate(node.operand, subject));
    case 'and':
      return truthy(evaluate(node.left, subject)) && truthy(evaluate(node.right, subject));
    case 'or':
      return truthy(evaluate(node.left, subject)) || truthy(evaluate(node.right, subject));
    case 'compare':
      return compare(node.op, evaluate(node.left, subject), evaluate(node.right, subject));
  }
}

/** Whether `subject` (an event envelope, plus anything else the caller exposes) matches the tree. */
export function matchesFilter(node: FilterNode, subject: unknown): boolean {
  return truthy(evaluate(node, subject));
}
