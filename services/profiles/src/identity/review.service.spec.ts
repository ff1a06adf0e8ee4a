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
