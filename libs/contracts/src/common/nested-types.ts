// Which fields of a DTO hold nested DTOs, recorded by the `Nested`/`NestedArray` decorators, so that
// `toInstance` can build class instances without class-transformer's general-purpose (and slower) walk.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- DTO constructors take no arguments
export type DtoClass<T extends object = object> = new (...args: any[]) => T;

export interface NestedField {
  property: string;
  type: () => DtoClass;
  isArray: boolean;
}

const declared = new Map<object, NestedField[]>();
const resolved = new Map<DtoClass, NestedField[]>();

export function registerNestedType(
  target: object,
  property: string,
  type: () => DtoClass,
  isArray: boolean,
): void {
  const fields = declared.get(target) ?? [];
  fields.push({ property, type, isArray });
  declared.set(target, fields);
}

/** Nested fields of a class including inherited ones; computed once per class. */
export function nestedFieldsOf(cls: DtoClass): NestedField[] {
  let fields = resolved.get(cls);
  if (!fields) {
    fields = [];
    for (
      let c: unknown = cls;
      typeof c === 'function' && c !== Function.prototype;
      c = Object.getPrototypeOf(c)
    ) {
      for (const field of declared.get(c) ?? []) {
        if (!fields.some((f) => f.property === field.property)) fields.push(field);
      }
    }
    resolved.set(cls, fields);
  }
  return fields;
}

const joinPath = (path: string, key: string): string => (path ? `${path}.${key}` : key);

// Keys that would change what the instance is (its prototype or the class the validator looks up).
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Copies a parsed JSON object onto a new instance of `cls`, recursing into nested DTO fields. Values of
 * the wrong shape are copied as they are, for the validator to report. Reserved keys are not copied:
 * their paths are pushed to `rejected` so the caller reports them as fields that are not allowed.
 */
export function toInstance(cls: DtoClass, plain: unknown, path: string, rejected: string[]): unknown {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) return plain;
  const instance = new cls() as Record<string, unknown>;
  for (const key of Object.keys(plain)) {
    if (RESERVED_KEYS.has(key)) rejected.push(joinPath(path, key));
    else instance[key] = (plain as Record<string, unknown>)[key];
  }
  for (const { property, type, isArray } of nestedFieldsOf(cls)) {
    const value = instance[property];
    if (isArray) {
      if (Array.isArray(value)) {
        instance[property] = value.map((item, i) =>
          toInstance(type(), item, `${joinPath(path, property)}[${i}]`, rejected),
        );
      }
    } else if (value !== undefined) {
      instance[property] = toInstance(type(), value, joinPath(path, property), rejected);
    }
  }
  return instance;
}
