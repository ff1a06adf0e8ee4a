import {
  ContractViolation,
  ContractViolationCode,
  EVENT_TYPES,
  eventCatalog,
  parseEventBytes,
  sampleEvent,
  StayCompletedV1,
  MoneyDto,
  unstorableIn,
  validateEvent,
  validateReceivedEvent,
  type ContractIssue,
} from './index';

type Json = Record<string, unknown> & { data: Record<string, unknown> };

/** A sample event as a consumer receives it: parsed from JSON, free to mutate. */
const received = (type: Parameters<typeof sampleEvent>[0]): Json =>
  JSON.parse(JSON.stringify(sampleEvent(type)));

function violationOf(run: () => unknown): ContractViolation {
  try {
    run();
  } catch (error) {
    if (error instanceof ContractViolation) return error;
    throw error;
  }
  throw new Error('expected a ContractViolation');
}

const issuesOf = (raw: unknown): ContractIssue[] =>
  violationOf(() => validateEvent(raw)).issues as ContractIssue[];

const NPS_MISMATCH = 'must match nps (9-10 promoter, 7-8 passive, 0-6 detractor), absent when nps is';

describe('validateEvent', () => {
  it.each(EVENT_TYPES)('should accept a valid %s after a JSON round trip', (type) => {
    const raw = received(type);

    const event = validateEvent(raw);

    expect(event.type).toBe(type);
    expect(event.version).toBe(eventCatalog[type].currentVersion);
    expect(JSON.parse(JSON.stringify(event.envelope))).toEqual(raw);
  });

  it('should return data as an instance of the version class with nested instances when valid', () => {
    const event = validateEvent(received('stay-completed'), 'stay-completed');

    expect(event.data).toBeInstanceOf(StayCompletedV1);
    expect(event.data.revenue.room).toBeInstanceOf(MoneyDto);
    expect(event.envelope.data).toBe(event.data);
  });

  it('should give the id in lower case when the sender wrote it in upper case', () => {
    const raw = received('stay-completed');
    const sent = String(raw.id).toUpperCase();

    const event = validateEvent({ ...raw, id: sent });

    expect(event.envelope.id).toBe(sent.toLowerCase());
    expect(event.envelope.id).not.toBe(sent);
  });

  it('should refuse a guest id in upper case, which services would take for another guest', () => {
    const raw = received('tier-changed');
    raw.data.guestId = String(raw.data.guestId).toUpperCase();

    expect(issuesOf(raw)).toEqual([{ path: 'data.guestId', reason: 'must be a UUID in lower case' }]);
  });

  it('should narrow the payload type when the caller switches on type', () => {
    const event = validateEvent(received('tier-changed'));

    const to = event.type === 'tier-changed' ? event.data.to : undefined;

    expect(to).toBe('gold');
  });

  it('should list every issue with dotted paths and a readable message when data is invalid', () => {
    const raw = received('stay-completed');
    raw.data.nights = 0;
    raw.data.departure = '2025-02-30';

    const violation = violationOf(() => validateEvent(raw));

    expect(violation.code).toBe(ContractViolationCode.INVALID_DATA);
    expect(violation.message).toBe(
      'stay-completed v1 is invalid: data.departure must be a YYYY-MM-DD date in the years 1900 to 2199; data.nights must be a positive integer',
    );
    expect(violation.event).toEqual({ id: raw.id, type: 'stay-completed', dataversion: '1' });
  });

  it('should report nested field paths when a nested DTO is invalid', () => {
    const raw = received('stay-completed');
    (raw.data.revenue as { room: Record<string, unknown> }).room.amountMinor = 12.5;
    (raw.data.guest as Record<string, unknown>).email = 'not-an-email';

    expect(issuesOf(raw)).toEqual([
      { path: 'data.guest.email', reason: 'must be an email address' },
      { path: 'data.revenue.room.amountMinor', reason: 'must be a non-negative integer' },
    ]);
  });

  it("should refuse a stay's revenue below zero or in several currencies, and allow a change below zero", () => {
    const stay = received('stay-completed');
    const revenue = stay.data.revenue as Record<string, { amountMinor: number; currency: string }>;
    revenue.room.amountMinor = -100;
    revenue.other.currency = revenue.room.currency === 'USD' ? 'EUR' : 'USD';
    expect(issuesOf(stay)).toEqual([
      { path: 'data.revenue.room.amountMinor', reason: 'must be a non-negative integer' },
      { path: 'data.revenue.other', reason: 'must be in the currency of room' },
    ]);

    const refund = received('stay-adjusted');
    const delta = refund.data.revenueDelta as Record<string, { amountMinor: number; currency: string }>;
    delta.room.amountMinor = -100;
    expect(() => validateEvent(refund)).not.toThrow();
    delta.foodAndBeverage.currency = delta.room.currency === 'USD' ? 'EUR' : 'USD';
    expect(issuesOf(refund)).toEqual([
      { path: 'data.revenueDelta.foodAndBeverage', reason: 'must be in the currency of room' },
    ]);
  });

  it.each(['XCG', 'ZWG'])('should take %s, an ISO-4217 code newer than the validator library', (currency) => {
    const stay = received('stay-completed');
    for (const line of Object.values(stay.data.revenue as Record<string, { currency: string }>))
      line.currency = currency;
    expect(validateEvent(stay).data).toMatchObject({ revenue: { room: { currency } } });
  });

  it('should refuse a name with a NUL, which Postgres cannot store, and take the same name without it', () => {
    const stay = received('stay-completed');
    const guest = stay.data.guest as Record<string, unknown>;
    guest.familyName = 'M\u0000ller';
    expect(issuesOf(stay)).toEqual([
      {
        path: 'data.guest.familyName',
        reason: 'must be a non-blank string of at most 100 characters, with no NUL and no unpaired surrogate',
      },
    ]);
    guest.familyName = 'Müller';
    expect(validateEvent(stay).data).toMatchObject({ guest: { familyName: 'Müller' } });
  });

  it('should refuse a correlation id cut through an emoji, which Postgres jsonb cannot store, and take it whole', () => {
    const stay = received('stay-completed');
    stay.correlationid = 'PMS-2026-12-07-\ud83d';
    expect(issuesOf(stay)).toEqual([
      {
        path: 'correlationid',
        reason: 'must be a non-blank string of at most 128 characters, with no NUL and no unpaired surrogate',
      },
    ]);
    stay.correlationid = 'PMS-2026-12-07-\ud83d\ude00';
    expect(validateEvent(stay).envelope.correlationid).toBe('PMS-2026-12-07-\u{1F600}');
  });

  it.each([
    ['a lone high surrogate at the end', 'Anna \ud83d', 'an unpaired surrogate'],
    ['a lone low surrogate at the start', '\ude00 Anna', 'an unpaired surrogate'],
    ['a NUL', 'An\u0000na', 'NUL'],
    ['an emoji, whole', 'Anna \u{1F600}', undefined],
  ])('should tell what Postgres cannot store in text with %s', (_, text, unstorable) => {
    expect(unstorableIn(text)).toBe(unstorable);
  });

  it('should refuse a made-up currency code', () => {
    const stay = received('stay-completed');
    for (const line of Object.values(stay.data.revenue as Record<string, { currency: string }>))
      line.currency = 'XYZ';
    expect(issuesOf(stay)).toContainEqual({
      path: 'data.revenue.room.currency',
      reason: 'must be an ISO-4217 currency code (e.g. EUR)',
    });
  });

  it('should report array item paths when an item of a nested array is invalid', () => {
    const raw = received('survey-completed');
    (raw.data.dimensions as Record<string, unknown>[])[1].score = 6;
    (raw.data.dimensions as unknown[]).push('cleanliness');

    expect(issuesOf(raw)).toEqual([
      { path: 'data.dimensions[1].score', reason: 'must be an integer from 1 to 5' },
      { path: 'data.dimensions[2]', reason: 'must be an object' },
    ]);
  });

  it('should say a field is required once when it is missing', () => {
    const raw = received('stay-completed');
    delete raw.data.revenue;
    delete raw.data.nights;

    expect(issuesOf(raw)).toEqual([
      { path: 'data.nights', reason: 'is required' },
      { path: 'data.revenue', reason: 'is required' },
    ]);
  });

  it('should reject null when an optional field is null', () => {
    const raw = received('reservation-cancelled');
    raw.data.reason = null;

    expect(issuesOf(raw)).toEqual([
      { path: 'data.reason', reason: expect.stringMatching(/^must be one of: guest-request/) },
    ]);
  });

  it('should accept an event without its optional fields when they are left out', () => {
    const raw = received('reservation-cancelled');
    delete raw.data.reason;

    expect(validateEvent(raw).type).toBe('reservation-cancelled');
  });

  it("should carry a guest's consent to profiling beside the other consents, as true or false only", () => {
    const withdrawn = received('guest-updated');
    withdrawn.data.changes = { profilingConsent: false, surveysConsent: true };
    expect(validateEvent(withdrawn, 'guest-updated').data.changes).toEqual({
      profilingConsent: false,
      surveysConsent: true,
    });

    const registered = received('guest-registered');
    (registered.data.attributes as Record<string, unknown>).profilingConsent = 'no';
    expect(issuesOf(registered)).toEqual([
      { path: 'data.attributes.profilingConsent', reason: 'must be true or false' },
    ]);
  });

  it('should reject unknown fields at any depth when the payload has them', () => {
    const raw = received('points-earned');
    raw.data.bonus = 10;
    (raw.data.source as Record<string, unknown>).note = 'x';

    expect(issuesOf(raw)).toEqual([
      { path: 'data.bonus', reason: 'is not allowed' },
      { path: 'data.source.note', reason: 'is not allowed' },
    ]);
  });

  it('should reject __proto__ and constructor keys without touching prototypes when they are sent', () => {
    const raw = JSON.parse(
      JSON.stringify(sampleEvent('guest-erased')).replace(
        '"data":{',
        '"data":{"__proto__":{"polluted":true},"constructor":{},',
      ),
    );

    expect(issuesOf(raw)).toEqual([
      { path: 'data.__proto__', reason: 'is not allowed' },
      { path: 'data.constructor', reason: 'is not allowed' },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("should report an array sent for one object, whatever its items' 'constructor' key holds", () => {
    const raw = received('stay-completed');
    raw.data.guest = [{ constructor: null }, { constructor: 'k1' }, { constructor: { big: true } }];

    expect(issuesOf(raw)).toEqual([
      { path: 'data.guest', reason: 'must be an object' },
      { path: 'data.guest[0]', reason: 'must be an object' },
      { path: 'data.guest[1]', reason: 'must be an object' },
      { path: 'data.guest[2]', reason: 'must be an object' },
    ]);
  });

  it('should reject a nested field when it is an array instead of an object', () => {
    const raw = received('stay-completed');
    raw.data.revenue = [];

    expect(issuesOf(raw)).toEqual([{ path: 'data.revenue', reason: 'must be an object' }]);
  });

  it('should check rules that compare fields when the stay dates disagree', () => {
    const raw = received('stay-completed');
    raw.data.departure = raw.data.arrival;
    raw.data.nights = 2;

    expect(issuesOf(raw)).toEqual([
      { path: 'data.departure', reason: 'must be after arrival' },
      { path: 'data.nights', reason: 'must equal the nights from arrival to departure' },
    ]);
  });

  it('should reject a classification that disagrees with the score when a survey says so', () => {
    const raw = received('survey-completed');
    raw.data.classification = 'promoter';

    expect(issuesOf(raw)).toEqual([{ path: 'data.classification', reason: NPS_MISMATCH }]);
  });

  it('should reject a classification when the survey has no nps', () => {
    const raw = received('survey-completed');
    delete raw.data.nps;
    raw.data.classification = 'promoter';

    const violation = violationOf(() => validateEvent(raw));

    expect(violation.code).toBe(ContractViolationCode.INVALID_DATA);
    expect(violation.issues).toEqual([{ path: 'data.classification', reason: NPS_MISMATCH }]);
  });

  it('should throw INVALID_ENVELOPE with the attribute paths when the envelope is invalid', () => {
    const raw = received('guest-erased');
    raw.specversion = '0.3';
    raw.time = '2025-03-04 10:15';
    raw.extra = true;

    const violation = violationOf(() => validateEvent(raw));

    expect(violation.code).toBe(ContractViolationCode.INVALID_ENVELOPE);
    expect(violation.issues).toEqual([
      { path: 'extra', reason: 'is not allowed' },
      { path: 'specversion', reason: 'must be one of: 1.0' },
      {
        path: 'time',
        reason: 'must be an ISO-8601 UTC instant (YYYY-MM-DDTHH:mm:ss[.sss]Z) in the years 1900 to 2199',
      },
    ]);
  });

  it.each([null, 42, 'text', [1, 2]])('should throw INVALID_ENVELOPE when the event is %p', (raw) => {
    expect(violationOf(() => validateEvent(raw)).code).toBe(ContractViolationCode.INVALID_ENVELOPE);
  });

  it('should throw INVALID_ENVELOPE when the subject is not the guest id of the payload', () => {
    const raw = received('points-earned');
    raw.subject = '00000000-0000-4000-8000-000000000000';

    const violation = violationOf(() => validateEvent(raw));

    expect(violation.code).toBe(ContractViolationCode.INVALID_ENVELOPE);
    expect(violation.issues).toEqual([{ path: 'subject', reason: 'must equal data.guestId' }]);
  });

  it('should take the subject from the survivor when a merge is validated', () => {
    const raw = received('guest-merged');
    raw.subject = raw.data.mergedId;

    expect(issuesOf(raw)).toEqual([{ path: 'subject', reason: 'must equal data.survivorId' }]);
  });

  it('should throw INVALID_ENVELOPE when propertyid disagrees with data.propertyId', () => {
    const raw = received('stay-completed');
    raw.propertyid = 'RTM02';

    expect(issuesOf(raw)).toEqual([{ path: 'propertyid', reason: 'must equal data.propertyId' }]);
  });

  it('should throw UNKNOWN_TYPE when the type is not in the catalogue', () => {
    const raw = received('stay-completed');
    raw.type = 'stay-teleported';

    const violation = violationOf(() => validateEvent(raw));

    expect(violation.code).toBe(ContractViolationCode.UNKNOWN_TYPE);
    expect(violation.message).toBe('unknown event type "stay-teleported": type is not a known event type');
  });

  it('should throw UNKNOWN_VERSION when the type has no such version', () => {
    const raw = received('stay-completed');
    raw.dataversion = '7';

    const violation = violationOf(() => validateEvent(raw));

    expect(violation.code).toBe(ContractViolationCode.UNKNOWN_VERSION);
    expect(violation.issues).toEqual([{ path: 'dataversion', reason: 'must be one of: 1' }]);
    expect(violation.event).toMatchObject({ type: 'stay-completed', dataversion: '7' });
  });

  it('should throw UNEXPECTED_TYPE when a valid event is not of the expected type', () => {
    const violation = violationOf(() => validateEvent(received('points-earned'), 'stay-recorded'));

    expect(violation.code).toBe(ContractViolationCode.UNEXPECTED_TYPE);
    expect(violation.message).toBe('expected stay-recorded, got points-earned: type must be stay-recorded');
  });

  it('should shorten the message but keep every issue when there are many', () => {
    const raw = received('stay-completed');
    raw.data = Object.fromEntries(Object.keys(raw.data).map((key) => [key, false]));

    const violation = violationOf(() => validateEvent(raw));

    expect(violation.issues.length).toBeGreaterThan(10);
    expect(violation.message).toMatch(new RegExp(`; and ${violation.issues.length - 10} more$`));
  });
});

describe('parseEventBytes', () => {
  it('should give JSON that validates when a Kafka value holds a valid event', () => {
    const event = sampleEvent('guest-registered');
    const bytes = Buffer.from(JSON.stringify(event));

    expect(parseEventBytes(bytes)).toEqual(event);
    expect(validateEvent(parseEventBytes(bytes)).type).toBe('guest-registered');
  });

  it('should read only its own bytes when the Buffer is a slice of a larger one', () => {
    const pool = Buffer.from('xx{"a":1}yy');

    expect(parseEventBytes(pool.subarray(2, 9))).toEqual({ a: 1 });
  });

  it.each([Buffer.from('{"specversion":'), Buffer.from([0xff, 0xfe]), null, undefined])(
    'should throw NOT_JSON when the value is %p',
    (bytes) => {
      const violation = violationOf(() => parseEventBytes(bytes));

      expect(violation.code).toBe(ContractViolationCode.NOT_JSON);
      expect(violation.message).toMatch(/^event is not JSON: /);
    },
  );

  it.each([
    ['a quote JSON does not take', `{"guest": {"givenName": 'Annemarie'}}`, 'the value is not valid JSON'],
    [
      'a missing comma',
      `{"givenName": "Annemarie" "familyName": "Vandersloot"}`,
      'the value is not valid JSON at position 26',
    ],
    ['its end cut off after a name', `{"givenName":`, 'the JSON ends before it is complete'],
    ['a string left open', `{"givenName": "Annemarie`, 'the value is not valid JSON at position 24'],
  ])('should throw NOT_JSON for %s without quoting any of the value', (_, text, reason) => {
    const violation = violationOf(() => parseEventBytes(Buffer.from(text)));

    expect(violation.issues).toEqual([{ path: '', reason }]);
    expect(violation.message).not.toMatch(/Annemarie|Vandersloot/);
  });

  it('should throw NOT_JSON, naming the encoding, when JSON holds a byte that is no UTF-8 (Latin-1 text)', () => {
    const latin1 = Buffer.concat([
      Buffer.from('{"familyName":"M'),
      Buffer.from([0xfc]),
      Buffer.from('ller"}'),
    ]);
    const violation = violationOf(() => parseEventBytes(latin1));

    expect(violation.code).toBe(ContractViolationCode.NOT_JSON);
    expect(violation.issues).toEqual([{ path: '', reason: 'the value is not UTF-8' }]);
    expect(parseEventBytes(Buffer.from('{"familyName":"Müller"}'))).toEqual({ familyName: 'Müller' });
  });

  it('should leave contract checks to validateEvent when the bytes are JSON', () => {
    expect(violationOf(() => validateEvent(parseEventBytes('{"type":"x"}'))).code).toBe(
      ContractViolationCode.INVALID_ENVELOPE,
    );
  });
});

describe('ContractViolationCode', () => {
  it('should be usable as plain strings, e.g. in dead-letter headers', () => {
    const violation = new ContractViolation('UNKNOWN_VERSION', 'stay-completed has no version 9', []);

    expect(violation.code).toBe(ContractViolationCode.UNKNOWN_VERSION);
    expect(violation.name).toBe('ContractViolation');
    expect(violation).toBeInstanceOf(Error);
  });
});

describe('validateReceivedEvent', () => {
  it('should drop payload fields a newer producer added when a platform service produced the event', () => {
    const raw = received('points-earned');
    raw.data.bonus = 10;
    (raw.data.source as Record<string, unknown>).note = 'x';

    const event = validateReceivedEvent(raw, 'points-earned');

    expect(event.data).not.toHaveProperty('bonus');
    expect(event.data.source).not.toHaveProperty('note');
    expect(JSON.parse(JSON.stringify(event.envelope))).toEqual(received('points-earned'));
    expect(raw.data.bonus).toBe(10);
  });

  it('should still refuse the fields it knows when they are invalid, beside a field it does not know', () => {
    const raw = received('points-earned');
    raw.data.bonus = 10;
    raw.data.points = -5;

    const violation = violationOf(() => validateReceivedEvent(raw, 'points-earned'));

    expect(violation.code).toBe(ContractViolationCode.INVALID_DATA);
    expect(violation.issues.map((issue) => issue.path)).toEqual(['data.points']);
  });

  it('should refuse a field it does not know when the event came from a property system upstream', () => {
    const raw = received('stay-completed');
    raw.data.loyaltyTier = 'gold';

    const violation = violationOf(() => validateReceivedEvent(raw, 'stay-completed'));

    expect(violation.code).toBe(ContractViolationCode.INVALID_DATA);
    expect(violation.issues).toEqual([{ path: 'data.loyaltyTier', reason: 'is not allowed' }]);
  });

  it('should refuse __proto__ and constructor keys from a platform service too', () => {
    const raw = JSON.parse(
      JSON.stringify(sampleEvent('guest-erased')).replace(
        '"data":{',
        '"data":{"__proto__":{"polluted":true},',
      ),
    );

    expect(violationOf(() => validateReceivedEvent(raw, 'guest-erased')).issues).toEqual([
      { path: 'data.__proto__', reason: 'is not allowed' },
    ]);
  });

  it('should refuse envelope attributes it does not know, whoever produced the event', () => {
    const raw = received('points-earned');
    raw.extra = true;

    const violation = violationOf(() => validateReceivedEvent(raw, 'points-earned'));

    expect(violation.code).toBe(ContractViolationCode.INVALID_ENVELOPE);
  });
});
