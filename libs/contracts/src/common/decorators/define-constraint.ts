import { ValidateBy } from 'class-validator';

export type JsonSchema = Record<string, unknown>;

/**
 * One field rule: the check, the reason shown when it fails (completing "data.nights ..."), and the
 * JSON Schema it stands for in the AsyncAPI document. Parameters are fixed at decoration time.
 */
export interface ConstraintDefinition<P extends unknown[]> {
  /** Unique name; it is also the key the JSON Schema generator looks the schema up by. */
  name: string;
  /** `object` is the DTO instance, for rules that compare two fields. */
  test(value: unknown, params: P, object: object): boolean;
  reason(...params: P): string;
  schema(...params: P): JsonSchema;
}

const schemaByConstraint = new Map<string, (params: unknown[]) => JsonSchema>();
const testByConstraint = new Map<string, ConstraintDefinition<unknown[]>['test']>();

/** Defines a property decorator from a rule; the message is built once per decorated field, not per call. */
export function defineConstraint<P extends unknown[]>(
  definition: ConstraintDefinition<P>,
): (...params: P) => PropertyDecorator {
  if (schemaByConstraint.has(definition.name)) {
    throw new Error(`constraint "${definition.name}" is defined twice`);
  }
  schemaByConstraint.set(definition.name, (params) => definition.schema(...(params as P)));
  testByConstraint.set(definition.name, definition.test as ConstraintDefinition<unknown[]>['test']);
  return (...params: P) =>
    ValidateBy(
      {
        name: definition.name,
        constraints: params,
        validator: { validate: (value, args) => definition.test(value, params, args?.object ?? {}) },
      },
      { message: definition.reason(...params) },
    );
}

/** The JSON Schema of a constraint used on a field, for the AsyncAPI generator. */
export function constraintSchema(name: string, params: unknown[]): JsonSchema | undefined {
  return schemaByConstraint.get(name)?.(params);
}

/**
 * The check of a constraint defined here, for the compiled validator to call directly instead of through
 * class-validator's wrappers (which build an arguments object per call); undefined for other rules.
 */
export function constraintTest(name: string): ConstraintDefinition<unknown[]>['test'] | undefined {
  return testByConstraint.get(name);
}

export function constraintNames(): string[] {
  return [...schemaByConstraint.keys()];
}
