import { validRequest } from '@loyalty/platform';
import { RequestCompensationDto } from './request-compensation.dto';

const validate = (body: Record<string, unknown>) =>
  validRequest.transform(body, { type: 'body', metatype: RequestCompensationDto });

describe('RequestCompensationDto', () => {
  it.each([
    [
      { kind: 'goodwill-points', points: 500, discountPercent: 100 },
      'discountPercent',
      'discountPercent is only for kind discount, not goodwill-points',
    ],
    [
      { kind: 'discount', discountPercent: 10, points: 500 },
      'points',
      'points is only for kind goodwill-points, not discount',
    ],
    [
      { kind: 'upgrade-voucher', points: 500 },
      'points',
      'points is only for kind goodwill-points, not upgrade-voucher',
    ],
  ])('should refuse an amount that belongs to another kind, naming it (%#)', async (body, path, reason) => {
    await expect(validate(body)).rejects.toMatchObject({
      response: { code: 'VALIDATION_FAILED', errors: [{ path, reason }] },
    });
  });
});
