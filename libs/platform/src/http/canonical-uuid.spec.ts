import { BadRequestException } from '@nestjs/common';
import { IsOptional, IsUUID } from 'class-validator';
import { CanonicalUuid, UUID_PARAM } from './canonical-uuid';
import { validRequest } from './valid-request';

const UPPER = 'A1B2C3D4-0000-4000-8000-00000000000A';
const LOWER = 'a1b2c3d4-0000-4000-8000-00000000000a';

class TargetDto {
  @IsUUID()
  @CanonicalUuid()
  guestId!: string;

  @IsOptional()
  @IsUUID()
  @CanonicalUuid()
  complaintId?: string;
}

describe('UUID_PARAM', () => {
  it('should lower-case an upper-case uuid path parameter', async () => {
    await expect(UUID_PARAM.transform(UPPER, { type: 'param', data: 'guestId' })).resolves.toBe(LOWER);
  });

  it('should keep a lower-case uuid as it is', async () => {
    await expect(UUID_PARAM.transform(LOWER, { type: 'param', data: 'guestId' })).resolves.toBe(LOWER);
  });

  it('should refuse what is not a uuid as ParseUUIDPipe does', async () => {
    await expect(UUID_PARAM.transform('NOT-A-UUID', { type: 'param', data: 'guestId' })).rejects.toThrow(
      BadRequestException,
    );
  });
});

describe('CanonicalUuid', () => {
  it('should lower-case an upper-case uuid field of a body', async () => {
    const converted = (await validRequest.transform(
      { guestId: UPPER, complaintId: UPPER },
      { type: 'body', metatype: TargetDto },
    )) as TargetDto;
    expect(converted.guestId).toBe(LOWER);
    expect(converted.complaintId).toBe(LOWER);
  });

  it('should leave an absent optional field absent', async () => {
    const converted = (await validRequest.transform(
      { guestId: LOWER },
      { type: 'body', metatype: TargetDto },
    )) as TargetDto;
    expect(converted).not.toHaveProperty('complaintId');
  });

  it('should still refuse a value that is not a uuid', async () => {
    await expect(
      validRequest.transform({ guestId: 42 }, { type: 'body', metatype: TargetDto }),
    ).rejects.toThrow(BadRequestException);
  });
});
