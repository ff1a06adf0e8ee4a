import { BadRequestException } from '@nestjs/common';
import { validRequest } from '@loyalty/platform';
import { GuestSearchQueryDto, pageAndSize, PageQueryDto } from './page-query.dto';

async function refusalOf(query: object, metatype: new () => object): Promise<unknown> {
  try {
    await validRequest.transform(query, { type: 'query', metatype });
  } catch (error) {
    if (error instanceof BadRequestException) return error.getResponse();
    throw error;
  }
  throw new Error('the query was accepted');
}

describe('PageQueryDto', () => {
  it('should refuse a page past 10,000 as VALIDATION_FAILED naming page, before its offset reaches Postgres', async () => {
    for (const metatype of [PageQueryDto, GuestSearchQueryDto])
      expect(await refusalOf({ page: '500000000000000000' }, metatype)).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ path: 'page', reason: 'page must not be greater than 10000' }],
      });
  });

  it('should read a page below 1 as the first and cap the page size at 100, as before', async () => {
    const query = (await validRequest.transform(
      { page: '-3', pageSize: '100000' },
      { type: 'query', metatype: PageQueryDto },
    )) as PageQueryDto;
    expect(pageAndSize(query)).toEqual({ page: 1, pageSize: 100 });
    expect(pageAndSize(new PageQueryDto())).toEqual({ page: 1, pageSize: 20 });
  });
});

describe('GuestSearchQueryDto', () => {
  it('should refuse search terms longer than any value on file as VALIDATION_FAILED naming each', async () => {
    const long = 'x'.repeat(300);
    const refusal = (await refusalOf(
      { name: long, email: long, loyaltyNumber: long },
      GuestSearchQueryDto,
    )) as {
      errors: { path: string }[];
    };
    expect(refusal.errors.map((error) => error.path).sort()).toEqual(['email', 'loyaltyNumber', 'name']);
  });
});
