import { BadRequestException } from '@nestjs/common';
import { validRequest } from '@loyalty/platform';
import { UpdateContactsDto } from './update-contacts.dto';

async function refusalOf(body: object): Promise<unknown> {
  try {
    await validRequest.transform(body, { type: 'body', metatype: UpdateContactsDto });
  } catch (error) {
    if (error instanceof BadRequestException) return error.getResponse();
    throw error;
  }
  throw new Error('the body was accepted');
}

describe('UpdateContactsDto', () => {
  it('should refuse as VALIDATION_FAILED naming phone a number too long to be stored', async () => {
    expect(await refusalOf({ phone: '+44 20 7946 0958 12345' })).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'phone', reason: 'phone must be an international number' }],
    });
  });

  it('should accept an international number written with spaces, dashes or a leading 00', async () => {
    for (const phone of ['+44 20 7946 0958', '0031-20-123-4567', '+31 (0)20 123 4567'])
      await expect(
        validRequest.transform({ phone }, { type: 'body', metatype: UpdateContactsDto }),
      ).resolves.toEqual({
        phone,
      });
  });
});
