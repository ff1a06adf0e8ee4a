import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '@loyalty/auth';
import type { EventPublisher } from '@loyalty/messaging';
import type { ProfileCache } from '../guests/profile-cache';
import type { ProfileReader } from '../guests/profile.reader';
import type { IdentityRepository } from './identity.repository';
import type { MergeService } from './merge.service';
import { ReviewService } from './review.service';

describe('recording "not the same person"', () => {
  const ids = {
    survivor: '00000000-0000-4000-8000-00000000000a',
    mergedAway: '00000000-0000-4000-8000-00000000000b',
    other: '00000000-0000-4000-8000-00000000000c',
    erased: '00000000-0000-4000-8000-00000000000d',
  };
  const statuses: Record<string, string> = {
    [ids.survivor]: 'active',
    [ids.mergedAway]: 'merged',
    [ids.other]: 'active',
    [ids.erased]: 'erased',
  };
  const admin: Principal = { sub: 'admin-1', roles: ['chain-admin'], properties: [] };

  /** The service over `statuses`; `statements` are the queries it ran, `decisions` what it recorded. */
  function service() {
    const statements: string[] = [];
    const decisions: unknown[] = [];
    const manager = {
      query: async (sql: string, params: unknown[]) => {
        statements.push(sql);
        if (/from guests/.test(sql))
          return (params[0] as string[])
            .filter((id) => statuses[id])
            .map((id) => ({ id, status: statuses[id] }));
        if (/insert into match_suggestions/.test(sql)) decisions.push(params);
        return [];
      },
    } as unknown as EntityManager;
    const dataSource = {
      manager,
      transaction: (work: (m: EntityManager) => unknown) => work(manager),
    } as unknown as DataSource;
    const review = new ReviewService(
      dataSource,
      {} as MergeService,
      { record: async () => undefined } as unknown as IdentityRepository,
      {} as EventPublisher,
      {} as ProfileCache,
      {} as ProfileReader,
    );
    return { review, statements, decisions };
  }

  const outcome = (review: ReviewService, a: string, b: string) =>
    review.notSame(admin, a, b).then(
      () => 'recorded',
      (error: { code?: string }) => error.code,
    );

  it('should refuse with GUEST_ALREADY_MERGED and record nothing when an id was merged away', async () => {
    const { review, decisions } = service();
    expect(await outcome(review, ids.mergedAway, ids.other)).toBe('GUEST_ALREADY_MERGED');
    expect(decisions).toEqual([]);
  });

  it('should refuse with GUEST_ERASED when an id was erased', async () => {
    const { review, decisions } = service();
    expect(await outcome(review, ids.other, ids.erased)).toBe('GUEST_ERASED');
    expect(decisions).toEqual([]);
  });

  it('should lock both guests in id order, as a merge does, when it records the decision', async () => {
    const { review, statements, decisions } = service();
    expect(await outcome(review, ids.other, ids.survivor)).toBe('recorded');
    expect(statements[0]).toMatch(/order by id for no key update/);
    expect(decisions).toEqual([[ids.survivor, ids.other, admin.sub]]);
  });
});

describe('deciding a review suggestion with a property-scoped token', () => {
  const manager: Principal = { sub: 'manager-1', roles: ['property-manager'], properties: ['AMS01'] };
  const decided = {
    id: '00000000-0000-4000-8000-0000000000d1',
    guest_a: '00000000-0000-4000-8000-00000000000a',
    guest_b: '00000000-0000-4000-8000-00000000000b',
    status: 'not-same',
  };

  /** The service over one stored suggestion, whose guests stayed only at properties the token has not. */
  function service() {
    const dataSource = {
      query: async (_sql: string, params: unknown[]) => (params[0] === decided.id ? [decided] : []),
    } as unknown as DataSource;
    return new ReviewService(
      dataSource,
      {} as MergeService,
      {} as IdentityRepository,
      {} as EventPublisher,
      {} as ProfileCache,
      { properties: async () => ['RTM01'] } as unknown as ProfileReader,
    );
  }

  const outcome = (suggestionId: string) =>
    service()
      .decide(manager, suggestionId, 'merge')
      .then(
        () => 'decided',
        (error: { code?: string }) => error.code,
      );

  it('should answer PROPERTY_OUT_OF_SCOPE, not whether it was decided, when its guests are out of scope', async () => {
    expect(await outcome(decided.id)).toBe('PROPERTY_OUT_OF_SCOPE');
  });

  it('should answer PROPERTY_OUT_OF_SCOPE, not whether it exists, when there is no such suggestion', async () => {
    expect(await outcome('00000000-0000-4000-8000-0000000000d2')).toBe('PROPERTY_OUT_OF_SCOPE');
  });
});
