import { BadRequestException, type ArgumentMetadata } from '@nestjs/common';
import { validRequest } from '@loyalty/platform';
import { DiscardParkedAdjustmentDto, ParkedAdjustmentsQueryDto } from './parked-adjustments.dto';

const DISCARD: ArgumentMetadata = { type: 'body', metatype: DiscardParkedAdjustmentDto };
const LIST: ArgumentMetadata = { type: 'query', metatype: ParkedAdjustmentsQueryDto };
const KEYS = { stayKey: 'AMS01/R-1', adjustmentKey: 'AMS01/ADJ-1' };

async function refusedPaths(value: unknown, metadata: ArgumentMetadata): Promise<string[]> {
  try {
    await validRequest.transform(value, metadata);
  } catch (error) {
    if (!(error instanceof BadRequestException)) throw error;
    const body = error.getResponse() as { code: string; errors: { path: string }[] };
    expect(body.code).toBe('VALIDATION_FAILED');
    return [...new Set(body.errors.map((issue) => issue.path))];
  }
  return [];
}

describe('parked adjustment requests', () => {
  it.each([
    ['no reason', KEYS, ['reason']],
    ['an empty reason', { ...KEYS, reason: '' }, ['reason']],
    ['no keys', { reason: 'No stay will come' }, ['stayKey', 'adjustmentKey']],
  ])('should refuse a discard with %s, naming the field', async (_case, body, paths) => {
    expect(await refusedPaths(body, DISCARD)).toEqual(paths);
  });

  it('should accept a discard with both keys and a reason', async () => {
    expect(await refusedPaths({ ...KEYS, reason: 'No stay will come' }, DISCARD)).toEqual([]);
  });

  it.each([
    ['a reason to be parked there is not', { parkedBecause: 'lost' }, ['parkedBecause']],
    ['a page over 100', { limit: '101' }, ['limit']],
    ['a guest id that is no UUID', { guestId: 'guest-1' }, ['guestId']],
  ])('should refuse a list query with %s', async (_case, query, paths) => {
    expect(await refusedPaths(query, LIST)).toEqual(paths);
  });

  it('should read the page size of a query string as a number', async () => {
    const query = (await validRequest.transform(
      { limit: '2', parkedBecause: 'awaiting-job' },
      LIST,
    )) as ParkedAdjustmentsQueryDto;
    expect(query).toMatchObject({ limit: 2, parkedBecause: 'awaiting-job' });
  });
});
