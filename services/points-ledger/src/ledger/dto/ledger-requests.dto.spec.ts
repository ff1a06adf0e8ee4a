import { BadRequestException, type ArgumentMetadata } from '@nestjs/common';
import { validRequest } from '@loyalty/platform';
import {
  AdjustmentDto,
  BalanceQueryDto,
  ConfirmHoldDto,
  PlaceHoldDto,
  ReleaseHoldDto,
  RunJobQueryDto,
  StatementQueryDto,
  StatusChangeDto,
  TierOverrideDto,
  TransferDto,
} from './ledger-requests.dto';

const TIER_OVERRIDE = { tierId: 'gold', reason: 'Status match', propertyId: 'AMS01' };

/** Every field that takes an instant, with a request that is valid but for it. */
const INSTANT_FIELDS: [string, ArgumentMetadata, Record<string, unknown>][] = [
  ['from', { type: 'query', metatype: StatementQueryDto }, {}],
  ['to', { type: 'query', metatype: StatementQueryDto }, {}],
  ['lockUntil', { type: 'body', metatype: TierOverrideDto }, TIER_OVERRIDE],
  ['asOf', { type: 'query', metatype: RunJobQueryDto }, {}],
];

async function refusalOf(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
  try {
    await validRequest.transform(value, metadata);
  } catch (error) {
    if (error instanceof BadRequestException) return error.getResponse();
    throw error;
  }
  throw new Error('the request was accepted');
}

describe('ledger request instants', () => {
  describe.each(INSTANT_FIELDS)('%s', (field, metadata, rest) => {
    it.each(['2025-W23', '2025-152', '2025-06-01T10', '2025-02-30'])(
      'should refuse %s, which a Date cannot read as written, with a 400 naming the field',
      async (value) => {
        expect(await refusalOf({ ...rest, [field]: value }, metadata)).toMatchObject({
          code: 'VALIDATION_FAILED',
          errors: [
            {
              path: field,
              reason: expect.stringMatching(new RegExp(`^${field} must be an ISO-8601 instant`)),
            },
          ],
        });
      },
    );

    it.each(['2025-06-01', '2025-06-01T10:00:00Z', '2025-06-01T10:00:00.123+02:00'])(
      'should accept %s',
      async (value) => {
        const converted = (await validRequest.transform({ ...rest, [field]: value }, metadata)) as Record<
          string,
          unknown
        >;
        expect(converted[field]).toBe(value);
      },
    );
  });
});

describe('confirming a hold', () => {
  const body: ArgumentMetadata = { type: 'body', metatype: ConfirmHoldDto };

  it('should refuse a confirmation without its reward with a 400 naming reward', async () => {
    expect(await refusalOf({ propertyId: 'AMS01' }, body)).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'reward', reason: 'reward should not be null or undefined' }],
    });
  });

  // The reference goes into `points-redeemed`, whose contract refuses a blank one.
  it.each(['   ', ''])(
    'should refuse a reward reference of %p with a 400 naming reward.reference',
    async (reference) => {
      const refusal = await refusalOf({ propertyId: 'AMS01', reward: { kind: 'voucher', reference } }, body);
      expect(refusal).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ path: 'reward.reference', reason: expect.stringMatching(/^must be a non-blank string/) }],
      });
    },
  );
});

describe('the property a request acts for', () => {
  // It goes into the events the request publishes, whose contracts take property identifiers only.
  it.each([
    PlaceHoldDto,
    ConfirmHoldDto,
    ReleaseHoldDto,
    AdjustmentDto,
    StatusChangeDto,
    TransferDto,
    TierOverrideDto,
  ])('should refuse a property id that is no identifier in %p with a 400 naming propertyId', async (dto) => {
    const refusal = await refusalOf({ propertyId: 'Grand Paris' }, { type: 'body', metatype: dto });
    expect(refusal).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: expect.arrayContaining([
        { path: 'propertyId', reason: expect.stringMatching(/^must be an identifier/) },
      ]),
    });
  });

  it('should accept a property code', async () => {
    const metadata: ArgumentMetadata = { type: 'body', metatype: TierOverrideDto };
    expect(await validRequest.transform(TIER_OVERRIDE, metadata)).toMatchObject({ propertyId: 'AMS01' });
  });
});

describe('the time zone of the balance', () => {
  const query: ArgumentMetadata = { type: 'query', metatype: BalanceQueryDto };

  it.each(['Mars/Olympus_Mons', 'IST', '+09:00'])(
    'should refuse %s, which is no IANA zone both Intl and Postgres read alike, with a 400 naming timeZone',
    async (timeZone) => {
      expect(await refusalOf({ timeZone }, query)).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ path: 'timeZone', reason: expect.stringMatching(/^timeZone must be an IANA time zone/) }],
      });
    },
  );

  it.each(['Asia/Tokyo', 'Pacific/Honolulu', 'UTC'])('should accept %s', async (timeZone) => {
    expect(await validRequest.transform({ timeZone }, query)).toMatchObject({ timeZone });
  });
});
