import { Transform } from 'class-transformer';

// Environment variables are always strings. These decorators convert the strings that look right and
// leave anything else untouched, so the validator rejects it and the error quotes what was actually set.

const NUMBER_PATTERN = /^-?\d+(\.\d+)?$/;

/** Converts a numeric string (`"3000"`, `"0.5"`) to a number. */
export function parseNumber(value: unknown): unknown {
  return typeof value === 'string' && NUMBER_PATTERN.test(value.trim()) ? Number(value.trim()) : value;
}

/** Converts `"true"` / `"false"` (any case) to a boolean; `"yes"`, `"1"` and the like are left for the validator to reject. */
export function parseBoolean(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const normalised = value.trim().toLowerCase();
  if (normalised === 'true') return true;
  if (normalised === 'false') return false;
  return value;
}

/** Splits a comma-separated string into trimmed, non-empty items: `"a:1, b:2,"` -> `["a:1", "b:2"]`. */
export function parseList(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** Property decorator: the env string is converted with {@link parseNumber}. */
export const EnvNumber = (): PropertyDecorator => Transform(({ value }) => parseNumber(value));

/** Property decorator: the env string is converted with {@link parseBoolean}. */
export const EnvBoolean = (): PropertyDecorator => Transform(({ value }) => parseBoolean(value));

/** Property decorator: the env string is converted with {@link parseList}. */
export const EnvList = (): PropertyDecorator => Transform(({ value }) => parseList(value));
