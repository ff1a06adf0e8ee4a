import { BadRequestException } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, Min, ValidateNested } from 'class-validator';
import { validRequest } from './valid-request';

class StayDto {
  @IsString()
  propertyId!: string;
}

class RequestDto {
  @IsInt()
  @Min(1)
  @Max(500)
  points!: number;

  @ValidateNested()
  @Type(() => StayDto)
  stay!: StayDto;
}

async function refusalOf(body: unknown): Promise<unknown> {
  try {
    await validRequest.transform(body, { type: 'body', metatype: RequestDto });
  } catch (error) {
    if (error instanceof BadRequestException) return error.getResponse();
    throw error;
  }
  throw new Error('the request was accepted');
}

describe('validRequest', () => {
  it('should convert a valid body to its DTO', async () => {
    const converted: unknown = await validRequest.transform(
      { points: 20, stay: { propertyId: 'LIS01' } },
      { type: 'body', metatype: RequestDto },
    );
    expect(converted).toBeInstanceOf(RequestDto);
    expect((converted as RequestDto).stay).toBeInstanceOf(StayDto);
  });

  it('should refuse with VALIDATION_FAILED naming each field, nested ones by their dotted path', async () => {
    expect(await refusalOf({ points: 900, stay: { propertyId: 7 } })).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'the request is invalid: points must not be greater than 500; propertyId must be a string',
      errors: [
        { path: 'points', reason: 'points must not be greater than 500' },
        { path: 'stay.propertyId', reason: 'propertyId must be a string' },
      ],
    });
  });

  it('should refuse a field the DTO does not declare', async () => {
    expect(await refusalOf({ points: 20, stay: { propertyId: 'LIS01' }, pionts: 20 })).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'pionts', reason: 'property pionts should not exist' }],
    });
  });

  it('should refuse a string holding a NUL, which Postgres cannot store, naming its field, before the DTO', async () => {
    expect(await refusalOf({ points: 20, stay: { propertyId: 'LIS\u0000' } })).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'the request is invalid: stay.propertyId must not contain NUL',
      errors: [{ path: 'stay.propertyId', reason: 'stay.propertyId must not contain NUL' }],
    });
    expect(await refusalOf({ points: 20, stay: { ['property\u0000Id']: 'LIS01' } })).toMatchObject({
      errors: [{ path: 'stay', reason: 'stay must not have a key containing NUL' }],
    });
  });

  it('should refuse a string or key holding an unpaired surrogate, which Postgres jsonb refuses, naming its field', async () => {
    expect(await refusalOf({ points: 20, stay: { propertyId: 'LIS\ud83d' } })).toMatchObject({
      errors: [{ path: 'stay.propertyId', reason: 'stay.propertyId must not contain an unpaired surrogate' }],
    });
    expect(await refusalOf({ points: 20, stay: { ['\ude00propertyId']: 'LIS01' } })).toMatchObject({
      errors: [{ path: 'stay', reason: 'stay must not have a key containing an unpaired surrogate' }],
    });
  });

  it('should refuse a route parameter or query holding a NUL, naming the parameter', async () => {
    const refused = validRequest.transform('AMS01/\u0000', { type: 'param', data: 'stayKey' });
    await expect(refused).rejects.toMatchObject({
      response: { errors: [{ path: 'stayKey', reason: 'stayKey must not contain NUL' }] },
    });
    await expect(validRequest.transform({ q: 'a\u0000' }, { type: 'query' })).rejects.toBeInstanceOf(
      BadRequestException,
    );
  });

  it('should leave what a custom decorator gives, such as the principal, to its own checks', async () => {
    const principal = { subject: 'staff\u0000' };
    expect(await validRequest.transform(principal, { type: 'custom' })).toBe(principal);
  });
});
