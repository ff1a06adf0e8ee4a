import { HttpException } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { AuthException, type Principal } from '@loyalty/auth';
import type { EventPublisher } from '@loyalty/messaging';
import type { IdentityResolver } from '../identity/identity-resolver';
import type { IdentityRepository } from '../identity/identity.repository';
import type { AccessLog } from '../privacy/access-log';
import type { PersonalDataCipher } from '../privacy/personal-data-cipher';
import type { PersonalDataRepository } from '../privacy/personal-data.repository';
import { GuestsService } from './guests.service';
import type { ProfileCache } from './profile-cache';
import { ProfileReader, type ProfileView } from './profile.reader';

const ids = {
  active: '00000000-0000-4000-8000-000000000001',
  erased: '00000000-0000-4000-8000-000000000002',
  erasedWithoutStays: '00000000-0000-4000-8000-000000000003',
  merged: '00000000-0000-4000-8000-000000000004',
  unknown: '00000000-0000-4000-8000-000000000005',
};

/** Each guest's status and the properties of its stays and bookings (a merge moves them to the survivor). */
const guests: Record<string, { status: ProfileView['status']; properties: string[] }> = {
  [ids.active]: { status: 'active', properties: ['AMS01'] },
  [ids.erased]: { status: 'erased', properties: ['AMS01'] },
  [ids.erasedWithoutStays]: { status: 'erased', properties: [] },
  [ids.merged]: { status: 'merged', properties: [] },
};

const frontDesk = (properties: string[]): Principal => ({ sub: 'desk-1', roles: ['front-desk'], properties });
const admin: Principal = { sub: 'admin-1', roles: ['chain-admin'], properties: [] };

/** The service over a store of `guests`, with a real reader whose queries answer from it. */
function service() {
  const reader = new ProfileReader({} as PersonalDataRepository);
  jest.spyOn(reader, 'properties').mockImplementation(async (_, id) => guests[id]?.properties ?? []);
  jest
    .spyOn(reader, 'cacheState')
    .mockImplementation(async (_, id) => (guests[id] ? { version: 'v1', wrappedKey: null } : undefined));
  jest
    .spyOn(reader, 'load')
    .mockImplementation(async (_, id) =>
      guests[id] ? ({ guestId: id, version: 'v1', ...guests[id] } as ProfileView) : undefined,
    );
  const manager = {
    query: async (_sql: string, [id]: string[]) => (guests[id] ? [{ status: guests[id].status }] : []),
  } as unknown as EntityManager;
  const guestsService = new GuestsService(
    { manager } as DataSource,
    reader,
    { get: async () => undefined, set: async () => undefined } as unknown as ProfileCache,
    { record: async () => undefined } as unknown as AccessLog,
    {} as PersonalDataRepository,
    {} as IdentityRepository,
    {} as IdentityResolver,
    {} as PersonalDataCipher,
    {} as EventPublisher,
  );
  return { guests: guestsService, manager };
}

/** What the caller is told when `work` fails: its code, HTTP status and body (undefined when it succeeds). */
const refusal = (work: () => Promise<unknown>): Promise<unknown> =>
  work().then(
    () => undefined,
    (error: unknown) =>
      error instanceof HttpException
        ? { type: error.constructor, status: error.getStatus(), body: error.getResponse() }
        : error,
  );

/** What a token scoped to LON02 is told of the guest who stayed only at AMS01. */
const outOfScope = () => refusal(() => service().guests.profile(frontDesk(['LON02']), ids.active, 'test'));

describe('reading a profile', () => {
  it('should refuse a property-scoped token as for a guest of another property when the id is unknown', async () => {
    const outside = await outOfScope();
    expect(outside).toMatchObject({
      type: AuthException,
      status: 403,
      body: { code: 'PROPERTY_OUT_OF_SCOPE' },
    });
    const unknown = await refusal(() => service().guests.profile(frontDesk(['LON02']), ids.unknown, 'test'));
    expect(unknown).toEqual(outside);
  });

  it('should tell a chain-wide token GUEST_NOT_FOUND when the id is unknown', async () => {
    const unknown = await refusal(() => service().guests.profile(admin, ids.unknown, 'test'));
    expect(unknown).toMatchObject({ code: 'GUEST_NOT_FOUND' });
  });
});

describe('the guest a change is made to', () => {
  const check = (principal: Principal, id: string) => {
    const { guests: s, manager } = service();
    return refusal(() => s.activeInScope(manager, principal, id));
  };

  it.each([
    ['unknown', ids.unknown],
    ['erased, with stays at another property', ids.erased],
    ['erased, with no stay or booking left', ids.erasedWithoutStays],
    ['merged away', ids.merged],
  ])(
    'should refuse a property-scoped token as for a guest of another property when the id is %s',
    async (_, id) => {
      expect(await check(frontDesk(['LON02']), id)).toEqual(await outOfScope());
    },
  );

  it.each([
    ['GUEST_NOT_FOUND', 'unknown', ids.unknown],
    ['GUEST_ERASED', 'erased', ids.erased],
    ['GUEST_ALREADY_MERGED', 'merged away', ids.merged],
  ])('should tell a chain-wide token %s when the id is %s', async (code, _, id) => {
    expect(await check(admin, id)).toMatchObject({ code });
  });

  it('should tell a token of the erased guest’s own property GUEST_ERASED when the guest was erased', async () => {
    expect(await check(frontDesk(['AMS01']), ids.erased)).toMatchObject({ code: 'GUEST_ERASED' });
  });

  it('should let a token change an active guest when the guest stayed at its property', async () => {
    expect(await check(frontDesk(['AMS01']), ids.active)).toBeUndefined();
  });
});
