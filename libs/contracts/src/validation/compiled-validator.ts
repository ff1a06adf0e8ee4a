import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';
import { constraintTest } from '../common/decorators/define-constraint';
import type { DtoClass } from '../common/nested-types';
import type { ContractIssue } from './contract-violation';

// Validates DTO instances against their class-validator decorators with a plan compiled once per
// class: the decorators' metadata is read, grouped and checked at first use, so a call only runs the
// rules. class-validator's `validateSync` re-reads and regroups the metadata of every object on every
// call and allocates an error object per property, several times the cost on these small payloads.
// It supports what the contracts use: custom rules (all `class-validator` decorators and
// `defineConstraint` are such rules), conditional validation (`Optional`), nested validation and
// `@Allow`; anything else fails loudly when the plan is compiled.

type ValidationMetadata = ReturnType<
  ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']
>[number];

interface Rule {
  test(value: unknown, object: object): boolean;
  message: string;
  each: boolean;
}

interface PropertyPlan {
  name: string;
  conditions: ((object: object, value: unknown) => boolean)[];
  rules: Rule[];
  /** Validated as a nested DTO (each item when the value is an array, like class-validator). */
  nested: boolean;
}

interface ClassPlan {
  properties: PropertyPlan[];
  allowed: Set<string>;
}

const plans = new Map<DtoClass, ClassPlan>();

function planOf(cls: DtoClass): ClassPlan {
  let plan = plans.get(cls);
  if (!plan) {
    plan = compile(cls);
    plans.set(cls, plan);
  }
  return plan;
}

/** A class's validation metadata, inherited included, base classes first, each in declaration order. */
export function validationMetadatasOf(cls: DtoClass): ValidationMetadata[] {
  const chain: unknown[] = [];
  for (let c: unknown = cls; typeof c === 'function' && c.prototype; c = Object.getPrototypeOf(c))
    chain.unshift(c);
  const depth = (meta: ValidationMetadata) => chain.indexOf(meta.target);
  return getMetadataStorage()
    .getTargetValidationMetadatas(cls, '', false, false)
    .sort((a, b) => depth(a) - depth(b));
}

function compile(cls: DtoClass): ClassPlan {
  const byProperty = new Map<string, PropertyPlan>();
  for (const meta of validationMetadatasOf(cls)) {
    let property = byProperty.get(meta.propertyName);
    if (!property) {
      property = { name: meta.propertyName, conditions: [], rules: [], nested: false };
      byProperty.set(meta.propertyName, property);
    }
    switch (meta.type) {
      case ValidationTypes.CUSTOM_VALIDATION:
        property.rules.push(compileRule(cls, meta));
        break;
      case ValidationTypes.CONDITIONAL_VALIDATION:
        property.conditions.push(meta.constraints[0]);
        break;
      case ValidationTypes.NESTED_VALIDATION:
        property.nested = true;
        break;
      case ValidationTypes.WHITELIST:
        break;
      default:
        throw new Error(
          `${cls.name}.${meta.propertyName}: validation type "${meta.type}" is not supported here`,
        );
    }
  }
  return { properties: [...byProperty.values()], allowed: new Set(byProperty.keys()) };
}

function compileRule(cls: DtoClass, meta: ValidationMetadata): Rule {
  const [constraint] = getMetadataStorage().getTargetValidatorConstraints(meta.constraintCls);
  if (!constraint || constraint.async) {
    throw new Error(`${cls.name}.${meta.propertyName}: rules must be synchronous`);
  }
  if (typeof meta.message !== 'string') {
    throw new Error(
      `${cls.name}.${meta.propertyName}: rule "${constraint.name}" needs a fixed message (use defineConstraint)`,
    );
  }
  const { validateIf, constraints, propertyName } = meta;
  const direct = meta.name === undefined ? undefined : constraintTest(meta.name);
  if (direct) {
    const params = constraints as unknown[];
    const test = validateIf
      ? (value: unknown, object: object) => !validateIf(object, value) || direct(value, params, object)
      : (value: unknown, object: object) => direct(value, params, object);
    return { test, message: meta.message, each: meta.each };
  }
  const validate = constraint.instance.validate.bind(constraint.instance);
  const targetName = cls.name;
  const test = (value: unknown, object: object): boolean => {
    if (validateIf && !validateIf(object, value)) return true;
    const args: ValidationArguments = { value, constraints, targetName, object, property: propertyName };
    return validate(value, args) === true;
  };
  return { test, message: meta.message, each: meta.each };
}

/**
 * What a field the class does not declare means: `refuse` reports it as not allowed; `drop` deletes it from
 * the instance (and the instances nested in it), for a reader whose contract is older than the writer's.
 */
export type UnknownFields = 'refuse' | 'drop';

/** Issues of an instance (and the DTO instances nested in it) against its class's rules; empty when valid. */
export function validateInstance(
  instance: object,
  path: string,
  unknownFields: UnknownFields = 'refuse',
): ContractIssue[] {
  const issues: ContractIssue[] = [];
  check(instance, path, issues, unknownFields);
  return issues;
}

/**
 * The class an object is an instance of, by its prototype: a JSON object's own `constructor` key (an
 * item of an array sent where one object belongs, which is not made an instance) names no class, and
 * looked up as one would fail the call or grow the plans by one for every value sent.
 */
function classOf(object: object): DtoClass {
  const prototype = Object.getPrototypeOf(object) as { constructor: DtoClass } | null;
  return prototype?.constructor ?? Object;
}

function check(object: object, path: string, issues: ContractIssue[], unknownFields: UnknownFields): void {
  const plan = planOf(classOf(object));
  if (plan.properties.length === 0) {
    issues.push({ path, reason: 'must be an object' });
    return;
  }
  for (const key of Object.keys(object)) {
    if (plan.allowed.has(key)) continue;
    if (unknownFields === 'drop') delete (object as Record<string, unknown>)[key];
    else issues.push({ path: join(path, key), reason: 'is not allowed' });
  }
  // Valid objects are the hot path: nothing is allocated for a property until one of its rules fails.
  for (const property of plan.properties) {
    const value = (object as Record<string, unknown>)[property.name];
    if (!conditionsHold(property, object, value)) continue;
    let reported: string[] | undefined;
    for (const rule of property.rules) {
      if (passes(rule, value, object)) continue;
      // A missing field fails every rule; say so once instead of listing the rules.
      const reason = value === undefined ? 'is required' : rule.message;
      reported ??= [];
      if (!reported.includes(reason)) {
        reported.push(reason);
        issues.push({ path: join(path, property.name), reason });
      }
    }
    if (property.nested && value !== undefined) {
      checkNested(value, join(path, property.name), reported ?? [], issues, unknownFields);
    }
  }
}

function conditionsHold(property: PropertyPlan, object: object, value: unknown): boolean {
  for (const condition of property.conditions) if (!condition(object, value)) return false;
  return true;
}

function passes(rule: Rule, value: unknown, object: object): boolean {
  if (!rule.each || !Array.isArray(value)) return rule.test(value, object);
  for (const item of value) if (!rule.test(item, object)) return false;
  return true;
}

// Like class-validator: an array's items are validated one by one, an object by its own class.
function checkNested(
  value: unknown,
  path: string,
  reported: readonly string[],
  issues: ContractIssue[],
  unknownFields: UnknownFields,
): void {
  if (typeof value !== 'object' || value === null) {
    if (!reported.includes('must be an object')) issues.push({ path, reason: 'must be an object' });
    return;
  }
  if (!Array.isArray(value)) {
    check(value, path, issues, unknownFields);
    return;
  }
  value.forEach((item: unknown, index) => {
    const here = `${path}[${index}]`;
    if (typeof item === 'object' && item !== null && !Array.isArray(item))
      check(item, here, issues, unknownFields);
    else issues.push({ path: here, reason: 'must be an object' });
  });
}

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);
