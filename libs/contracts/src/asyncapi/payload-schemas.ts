import { ValidationTypes } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { ISchemaConverters } from 'class-validator-jsonschema/build/defaultConverters';
import { constraintNames, constraintSchema, type JsonSchema } from '../common/decorators/define-constraint';
import { nestedFieldsOf, type DtoClass } from '../common/nested-types';
import { validationMetadatasOf } from '../validation/compiled-validator';
import type { ClassDocs } from './doc-comments';

export const SCHEMA_REF_PREFIX = '#/components/schemas/';

/**
 * JSON Schemas of `roots` and every DTO they nest, named by class, generated from the same decorators
 * that validate them: fields in declaration order (inherited first), unknown fields forbidden, JSDoc as
 * descriptions.
 */
export function payloadSchemas(roots: DtoClass[], docs: Map<string, ClassDocs>): Record<string, JsonSchema> {
  const generated = validationMetadatasToSchemas({
    refPointerPrefix: SCHEMA_REF_PREFIX,
    additionalConverters: converters(),
  }) as Record<string, JsonSchema>;
  const schemas: Record<string, JsonSchema> = {};
  const visit = (cls: DtoClass): void => {
    if (schemas[cls.name]) return;
    const schema = generated[cls.name];
    if (!schema) throw new Error(`${cls.name} has no validation decorators`);
    schemas[cls.name] = finish(cls, schema, docs);
    nestedFieldsOf(cls).forEach((field) => visit(field.type()));
  };
  roots.forEach(visit);
  return Object.fromEntries(
    Object.keys(schemas)
      .sort()
      .map((name) => [name, schemas[name]]),
  );
}

function converters(): ISchemaConverters {
  const result: ISchemaConverters = {
    [ValidationTypes.NESTED_VALIDATION]: (meta) => {
      const field = nestedFieldsOf(meta.target as DtoClass).find((f) => f.property === meta.propertyName);
      if (!field)
        throw new Error(
          `${(meta.target as DtoClass).name}.${meta.propertyName}: use @Nested or @NestedArray`,
        );
      return { $ref: `${SCHEMA_REF_PREFIX}${field.type().name}` };
    },
  };
  for (const name of constraintNames()) result[name] = (meta) => constraintSchema(name, meta.constraints);
  return result;
}

function finish(cls: DtoClass, schema: JsonSchema, docs: Map<string, ClassDocs>): JsonSchema {
  const generated = schema.properties as Record<string, JsonSchema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const properties: Record<string, JsonSchema> = {};
  for (const name of propertyOrder(cls)) {
    const description = describe(cls, name, docs);
    const schema = withoutRefSiblings(generated[name]);
    properties[name] = description ? { description, ...schema } : schema;
  }
  const order = Object.keys(properties);
  return {
    type: 'object',
    ...(docs.get(cls.name)?.description ? { description: docs.get(cls.name)?.description } : {}),
    properties,
    required: order.filter((name) => required.has(name)),
    additionalProperties: false,
  };
}

// Draft-07 ignores keywords beside `$ref` (`minProperties` on a nested DTO); keep them through allOf.
function withoutRefSiblings(schema: JsonSchema): JsonSchema {
  const { $ref, ...rest } = schema;
  return $ref === undefined || Object.keys(rest).length === 0 ? schema : { allOf: [{ $ref }], ...rest };
}

// Base classes first, each in declaration order: reservation fields read before the stay's.
function propertyOrder(cls: DtoClass): string[] {
  return [...new Set(validationMetadatasOf(cls).map((meta) => meta.propertyName))];
}

function describe(cls: DtoClass, property: string, docs: Map<string, ClassDocs>): string | undefined {
  for (let c: unknown = cls; typeof c === 'function' && c.prototype; c = Object.getPrototypeOf(c)) {
    const text = docs.get((c as DtoClass).name)?.properties.get(property);
    if (text) return text;
  }
  return undefined;
}
