import { defineConstraint } from './define-constraint';

const isInt = (value: unknown): value is number => Number.isSafeInteger(value);

/** A signed integer, e.g. an amount in minor units. */
export const Int = defineConstraint<[]>({
  name: 'integer',
  test: (value) => isInt(value),
  reason: () => 'must be an integer',
  schema: () => ({ type: 'integer' }),
});

export const PositiveInt = defineConstraint<[]>({
  name: 'positiveInteger',
  test: (value) => isInt(value) && value > 0,
  reason: () => 'must be a positive integer',
  schema: () => ({ type: 'integer', minimum: 1 }),
});

export const NonNegativeInt = defineConstraint<[]>({
  name: 'nonNegativeInteger',
  test: (value) => isInt(value) && value >= 0,
  reason: () => 'must be a non-negative integer',
  schema: () => ({ type: 'integer', minimum: 0 }),
});

/** A signed change that is never zero (a zero change is not an event). */
export const NonZeroInt = defineConstraint<[]>({
  name: 'nonZeroInteger',
  test: (value) => isInt(value) && value !== 0,
  reason: () => 'must be a non-zero integer',
  schema: () => ({ type: 'integer', not: { const: 0 } }),
});

export const IntBetween = defineConstraint({
  name: 'integerBetween',
  test: (value, [min, max]: [number, number]) => isInt(value) && value >= min && value <= max,
  reason: (min, max) => `must be an integer from ${min} to ${max}`,
  schema: (minimum, maximum) => ({ type: 'integer', minimum, maximum }),
});

export const NumberBetween = defineConstraint({
  name: 'numberBetween',
  test: (value, [min, max]: [number, number]) =>
    typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max,
  reason: (min, max) => `must be a number from ${min} to ${max}`,
  schema: (minimum, maximum) => ({ type: 'number', minimum, maximum }),
});

export const PositiveNumber = defineConstraint<[]>({
  name: 'positiveNumber',
  test: (value) => typeof value === 'number' && Number.isFinite(value) && value > 0,
  reason: () => 'must be a positive number',
  schema: () => ({ type: 'number', exclusiveMinimum: 0 }),
});
