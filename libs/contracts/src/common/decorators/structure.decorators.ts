// class-transformer's @Type reads design-time metadata through the reflect-metadata polyfill.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ValidateIf, ValidateNested } from 'class-validator';
import { registerNestedType, type DtoClass } from '../nested-types';
import { defineConstraint } from './define-constraint';

const isPlainObject = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Optional means absent: `null` is not a value in these contracts, so it fails the field's rule. */
export function Optional(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}

export const Bool = defineConstraint<[]>({
  name: 'boolean',
  test: (value) => typeof value === 'boolean',
  reason: () => 'must be true or false',
  schema: () => ({ type: 'boolean' }),
});

/** The object-valued field an envelope carries (`data`); its shape is checked against the event's DTO. */
export const PlainObject = defineConstraint<[]>({
  name: 'plainObject',
  test: isPlainObject,
  reason: () => 'must be an object',
  schema: () => ({ type: 'object' }),
});

/** An object with at least one field, for "what changed" blocks. */
export const NonEmptyObject = defineConstraint<[]>({
  name: 'nonEmptyObject',
  test: (value) => isPlainObject(value) && Object.keys(value as object).length > 0,
  reason: () => 'must have at least one field',
  schema: () => ({ minProperties: 1 }),
});

// A nested field must be one object, never an array (ValidateNested alone would accept an array).
const SingleObject = defineConstraint<[]>({
  name: 'singleObject',
  test: isPlainObject,
  reason: () => 'must be an object',
  schema: () => ({}),
});

const ArrayOf = defineConstraint({
  name: 'arrayOf',
  test: (value, [min, max]: [number, number]) =>
    Array.isArray(value) && value.length >= min && value.length <= max,
  reason: (min, max) => `must be an array of ${min} to ${max} items`,
  schema: (minItems, maxItems) => ({ type: 'array', minItems, maxItems }),
});

/** A nested DTO: validated field by field, and instantiated by `validateEvent` and class-transformer. */
export function Nested(type: () => DtoClass): PropertyDecorator {
  return (target, property) => {
    registerNestedType(target.constructor, property as string, type, false);
    SingleObject()(target, property);
    ValidateNested()(target, property);
    Type(type)(target, property);
  };
}

/** An array of nested DTOs with a bounded length (bounded so one event cannot carry unbounded work). */
export function NestedArray(type: () => DtoClass, bounds: { min: number; max: number }): PropertyDecorator {
  return (target, property) => {
    registerNestedType(target.constructor, property as string, type, true);
    ArrayOf(bounds.min, bounds.max)(target, property);
    ValidateNested({ each: true })(target, property);
    Type(type)(target, property);
  };
}

/** Not equal to another field of the same object (a tier change to the same tier is not a change). */
export const DifferentFrom = defineConstraint({
  name: 'differentFrom',
  test: (value, [field]: [string], object) => value !== (object as Record<string, unknown>)[field],
  reason: (field) => `must differ from ${field}`,
  schema: (field) => ({ $comment: `differs from ${field}` }),
});
