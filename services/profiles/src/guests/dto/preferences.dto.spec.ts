import { BadRequestException } from '@nestjs/common';
import { validRequest } from '@loyalty/platform';
import { SetPreferencesDto } from './preferences.dto';

describe('SetPreferencesDto', () => {
  it('should refuse a group name longer than any group as VALIDATION_FAILED, before it is echoed into a message', async () => {
    const body = { preferences: [{ group: 'g'.repeat(10_000), values: [] }] };
    const refusal = await validRequest.transform(body, { type: 'body', metatype: SetPreferencesDto }).then(
      () => undefined,
      (error: unknown) => (error instanceof BadRequestException ? error.getResponse() : error),
    );
    expect(refusal).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ path: 'preferences.0.group' })],
    });
  });
});
