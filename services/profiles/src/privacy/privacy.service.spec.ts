import { HttpException } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { AuthException, type Principal } from '@loyalty/auth';
import type { EventPublisher } from '@loyalty/messaging';
import type { ProfileCache } from '../guests/profile-cache';
import { ProfileReader, type ProfileView } from '../guests/profile.reader';
import type { AccessLog } from './access-log';
import type { PersonalDataRepository } from './personal-data.repository';
import { PrivacyService } from './privacy.service';

describe('exporting a guest’s data', () => {
  const known = '00000000-0000-4000-8000-000000000001';
  const unknown = '00000000-0000-4000-8000-000000000002';
  const propertyManager = (properties: string[]): Principal => ({
    sub: 'pm-1',
    roles: ['property-manager'],
    properties,
  });

  /** The service over one guest, who stayed at AMS01. */
  function service() {
    const reader = new ProfileReader({} as PersonalDataRepository);
    jest.spyOn(reader, 'properties').mockImplementation(async (_, id) => (id === known ? ['AMS01'] : []));
    jest
      .spyOn(reader, 'load')
      .mockImplementation(async (_, id) =>
        id === known ? ({ guestId: id, properties: ['AMS01'] } as ProfileView) : undefined,
      );
    // Every table answers with one row naming it, so the export shows what it read.
    const manager = {
      query: async (sql: string) => [{ from: /from (\w+)/.exec(sql)?.[1], sql }],
    } as unknown as EntityManager;
    return new PrivacyService(
      { manager } as DataSource,
      reader,
      {} as PersonalDataRepository,
      { record: async () => undefined } as unknown as AccessLog,
      {} as ProfileCache,
      {} as EventPublisher,
    );
  }

  const refusal = (principal: Principal, id: string): Promise<unknown> =>
    service()
      .export(principal, id, 'subject access request')
      .then(
        () => undefined,
        (error: unknown) =>
          error instanceof HttpException
            ? { type: error.constructor, status: error.getStatus(), body: error.getResponse() }
            : error,
      );

  it('should refuse a property-scoped token as for a guest of another property when the id is unknown', async () => {
    const outside = await refusal(propertyManager(['LON02']), known);
    expect(outside).toMatchObject({
      type: AuthException,
      status: 403,
      body: { code: 'PROPERTY_OUT_OF_SCOPE' },
    });
    expect(await refusal(propertyManager(['LON02']), unknown)).toEqual(outside);
  });

  it('should tell a chain-wide token GUEST_NOT_FOUND when the id is unknown, and export a known guest', async () => {
    const admin: Principal = { sub: 'admin-1', roles: ['chain-admin'], properties: ['*'] };
    expect(await refusal(admin, unknown)).toMatchObject({ code: 'GUEST_NOT_FOUND' });
    expect(await refusal(admin, known)).toBeUndefined();
    expect(await refusal(propertyManager(['AMS01']), known)).toBeUndefined();
  });

  it('should export the guest’s complaints, closed ones included, and stay adjustments when asked for everything held', async () => {
    const admin: Principal = { sub: 'admin-1', roles: ['chain-admin'], properties: ['*'] };
    const exported = await service().export(admin, known, 'subject access request');
    expect(exported).toMatchObject({
      complaints: [{ from: 'open_complaints' }],
      stayAdjustments: [{ from: 'stay_adjustments' }],
    });
    expect(exported.complaints[0].sql).not.toMatch(/closed_at is/);
  });
});
