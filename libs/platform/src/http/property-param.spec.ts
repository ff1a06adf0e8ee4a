import { BadRequestException } from '@nestjs/common';
import { PROPERTY_PARAM } from './property-param';

describe('PROPERTY_PARAM', () => {
  const metadata = { type: 'param' as const, data: 'propertyId' };

  it('should pass a property id as events carry it', () => {
    expect(PROPERTY_PARAM.transform('AMS-01', metadata)).toBe('AMS-01');
  });

  it.each(['Grand Paris', 'AMS01\u0000', '', 'a'.repeat(65)])(
    'should refuse %p with a 400 VALIDATION_FAILED naming the parameter',
    (value) => {
      let refused: unknown;
      try {
        PROPERTY_PARAM.transform(value, metadata);
      } catch (error) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(BadRequestException);
      expect((refused as BadRequestException).getResponse()).toEqual({
        code: 'VALIDATION_FAILED',
        message: expect.stringMatching(/^the request is invalid: propertyId must be an identifier/),
        errors: [{ path: 'propertyId', reason: expect.stringMatching(/^propertyId must be an identifier/) }],
      });
    },
  );
});
