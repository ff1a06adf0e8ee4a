import { validateSync, type ValidationError } from 'class-validator';
import { toInstance } from '../common/nested-types';
import { EVENT_TYPES, eventCatalog, sampleEvent, type ContractIssue, type EventType } from '../index';
import { validateInstance } from './compiled-validator';

// The compiled validator must judge payloads exactly as class-validator does with the options the
// contracts prescribe; these cases pin that down field by field.

const STRUCTURAL: Record<string, string> = {
  whitelistValidation: 'is not allowed',
  nestedValidation: 'must be an object',
  unknownValue: 'must be an object',
};

function classValidatorIssues(
  errors: readonly ValidationError[],
  path: string,
  inArray = false,
): ContractIssue[] {
  return errors.flatMap((error) => {
    // class-validator reports an object of no known class (unknownValue) on the object itself.
    if (error.property === undefined) return [{ path, reason: STRUCTURAL.unknownValue }];
    const here = inArray ? `${path}[${error.property}]` : `${path}.${error.property}`;
    const reasons = Object.entries(error.constraints ?? {}).map(([rule, message]) =>
      error.value === undefined && rule !== 'whitelistValidation'
        ? 'is required'
        : (STRUCTURAL[rule] ?? message),
    );
    const own = [...new Set(reasons)].map((reason) => ({ path: here, reason }));
    return [...own, ...classValidatorIssues(error.children ?? [], here, Array.isArray(error.value))];
  });
}

const sortIssues = (issues: ContractIssue[]) =>
  [...issues].sort((a, b) => `${a.path} ${a.reason}`.localeCompare(`${b.path} ${b.reason}`));

function bothVerdicts(type: EventType, data: unknown) {
  const dataClass = eventCatalog[type].versions['1'];
  const instance = toInstance(dataClass, data, 'data', []) as object;
  const expected = classValidatorIssues(
    validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }),
    'data',
  );
  return { compiled: sortIssues(validateInstance(instance, 'data')), classValidator: sortIssues(expected) };
}

type Mutation = [string, EventType, (data: Record<string, unknown>) => void];

const MUTATIONS: Mutation[] = [
  ['wrong scalar types', 'stay-completed', (d) => Object.assign(d, { nights: '3', rooms: 1.5, channel: 7 })],
  [
    'missing fields',
    'stay-completed',
    (d) => {
      delete d.guest;
      delete d.timeZone;
    },
  ],
  [
    'unknown fields',
    'points-earned',
    (d) => Object.assign(d, { extra: 1, source: { kind: 'stay', reference: 'x', y: 2 } }),
  ],
  ['null optional field', 'tier-changed', (d) => Object.assign(d, { validUntil: null })],
  ['nested not an object', 'stay-completed', (d) => Object.assign(d, { revenue: 'lots' })],
  [
    'nested array',
    'stay-completed',
    (d) => Object.assign(d, { revenue: [{ amountMinor: 1, currency: 'EUR' }] }),
  ],
  [
    'array items',
    'survey-completed',
    (d) => Object.assign(d, { dimensions: [{ dimension: 'x', score: 0 }, 3, null] }),
  ],
  [
    'array not an array',
    'survey-completed',
    (d) => Object.assign(d, { dimensions: { dimension: 'staff', score: 3 } }),
  ],
  ['cross-field rules', 'stay-completed', (d) => Object.assign(d, { departure: '2025-02-01', nights: 9 })],
  ['empty object', 'guest-updated', (d) => Object.assign(d, { changes: {} })],
  [
    'everything wrong',
    'visit-frequency-dropped',
    (d) => {
      for (const key of Object.keys(d)) d[key] = false;
    },
  ],
];

describe('validateInstance', () => {
  it.each(EVENT_TYPES)('should agree with class-validator that a sample %s is valid', (type) => {
    expect(bothVerdicts(type, sampleEvent(type).data)).toEqual({ compiled: [], classValidator: [] });
  });

  it.each(MUTATIONS)('should report what class-validator reports when given %s', (_name, type, mutate) => {
    const data = JSON.parse(JSON.stringify(sampleEvent(type).data));
    mutate(data);

    const { compiled, classValidator } = bothVerdicts(type, data);

    expect(compiled.length).toBeGreaterThan(0);
    expect(compiled).toEqual(classValidator);
  });
});
