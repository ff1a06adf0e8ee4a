import { BadRequestException } from '@nestjs/common';
import { validRequest } from '@loyalty/platform';
import { ManualMergeDto } from './merge.dto';

const pair = {
  guestA: '3f2b8c4e-1d2a-4b5c-9e8f-0a1b2c3d4e5f',
  guestB: '7a1c9d2e-5b3f-4a6c-8d7e-1f2a3b4c5d6e',
};

/** The fields a request body is refused for, each once. */
async function refusedPaths(body: object): Promise<string[]> {
  try {
    await validRequest.transform(body, { type: 'body', metatype: ManualMergeDto });
  } catch (error) {
    if (error instanceof BadRequestException)
      return [
        ...new Set((error.getResponse() as { errors: { path: string }[] }).errors.map((issue) => issue.path)),
      ];
    throw error;
  }
  return [];
}

describe('ManualMergeDto', () => {
  it('should refuse an override of "not the same person" that does not say why, naming reason', async () => {
    expect(await refusedPaths({ ...pair, overrideNotSamePerson: true })).toEqual(['reason']);
    expect(await refusedPaths({ ...pair, overrideNotSamePerson: true, reason: '  ' })).toEqual(['reason']);
    expect(await refusedPaths({ ...pair, overrideNotSamePerson: true, reason: 'x'.repeat(201) })).toEqual([
      'reason',
    ]);
  });

  it('should accept a merge without an override, and one overriding with a reason', async () => {
    expect(await refusedPaths(pair)).toEqual([]);
    expect(
      await refusedPaths({ ...pair, overrideNotSamePerson: true, reason: 'one guest, two cards' }),
    ).toEqual([]);
  });
});
