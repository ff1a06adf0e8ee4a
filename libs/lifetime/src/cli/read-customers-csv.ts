import { customerColumns, type CustomerColumns } from '../bgnbd/parameters';

const COLUMNS = ['frequency', 'recency', 'T'] as const;

export class CsvInputError extends Error {}

/**
 * Parses a CSV whose header names at least `frequency`, `recency` and `T` (in any order, other columns
 * ignored; plain comma-separated values, no quoting). Each row must be a possible history.
 */
export function readCustomersCsv(text: string): CustomerColumns {
  const lines = text.split(/\r?\n/);
  const header = lines[0].split(',').map((name) => name.trim());
  const positions = COLUMNS.map((column) => {
    const position = header.indexOf(column);
    if (position < 0)
      throw new CsvInputError(`line 1: the header has no "${column}" column (found: ${header.join(', ')})`);
    return position;
  });
  const rows = lines
    .map((line, i) => ({ line, number: i + 1 }))
    .slice(1)
    .filter(({ line }) => line.trim() !== '');
  if (rows.length === 0) throw new CsvInputError('the file has a header but no customers');
  const customers = customerColumns(rows.length);
  rows.forEach(({ line, number }, i) => {
    const cells = line.split(',');
    const [x, tx, T] = positions.map((position) => Number(cells[position]?.trim() || NaN));
    const problem = rowProblem(x, tx, T);
    if (problem) throw new CsvInputError(`line ${number}: ${problem} (got "${line}")`);
    customers.frequency[i] = x;
    customers.recency[i] = tx;
    customers.T[i] = T;
  });
  return customers;
}

function rowProblem(x: number, tx: number, T: number): string | undefined {
  if (![x, tx, T].every(Number.isFinite)) return 'frequency, recency and T must all be numbers';
  if (!Number.isInteger(x) || x < 0) return 'frequency must be a whole number >= 0';
  if (tx < 0 || tx > T) return 'recency must be between 0 and T';
  if (x === 0 && tx !== 0) return 'recency must be 0 when frequency is 0';
  return undefined;
}
