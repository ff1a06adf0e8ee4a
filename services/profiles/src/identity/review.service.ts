import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { assertGuestInScope, hasChainWideScope, propertyScopeFilter, type Principal } from '@loyalty/auth';
import { EventPublisher } from '@loyalty/messaging';
import { pageOf } from '@loyalty/platform';
import { ProfileCache } from '../guests/profile-cache';
import { ProfileReader } from '../guests/profile.reader';
import { IdentityRepository } from './identity.repository';
import { ProfilesException } from './merge.exception';
import { MergeService, type MergeOptions } from './merge.service';
import type { Publish } from './publisher';
import type { ReviewQueuePosition } from './review-queue-page';
import { readQueuePage, type QueuedSuggestionRow } from './review-queue-reads';

interface SuggestionRow {
  id: string;
  guest_a: string;
  guest_b: string;
  rule: string;
  score: string;
  status: string;
  created_at: Date;
}

/** Staff decisions on identity: manual merges and the review queue of suggested matches. */
@Injectable()
export class ReviewService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly merges: MergeService,
    private readonly identities: IdentityRepository,
    private readonly events: EventPublisher,
    private readonly cache: ProfileCache,
    private readonly reader: ProfileReader,
  ) {}

  /** A property-scoped caller may only decide about guests known at one of its properties. */
  private async assertInScope(principal: Principal, ...guestIds: string[]): Promise<void> {
    if (hasChainWideScope(principal)) return;
    for (const id of guestIds)
      assertGuestInScope(principal, await this.reader.properties(this.dataSource.manager, id));
  }

  /**
   * @param overrideReason why staff merge the pair although it was recorded as not the same person (logged);
   * without it such a pair is refused.
   */
  async merge(
    principal: Principal,
    guestA: string,
    guestB: string,
    overrideReason?: string,
  ): Promise<{ survivorId: string; mergedId: string }> {
    await this.assertInScope(principal, guestA, guestB);
    return this.mergeInScope(guestA, guestB, {
      overridingNotSame: overrideReason === undefined ? undefined : { by: principal, reason: overrideReason },
    });
  }

  private async mergeInScope(
    guestA: string,
    guestB: string,
    options: MergeOptions,
  ): Promise<{ survivorId: string; mergedId: string }> {
    const result = await this.dataSource.transaction(async (manager) => {
      const pending: Promise<unknown>[] = [];
      const publish: Publish = (type, data, meta) =>
        pending.push(this.events.publish(manager, type, data, meta));
      const merged = await this.merges.merge(manager, guestA, guestB, 'manual', publish, options);
      await Promise.all(pending);
      await manager.query(
        `update match_suggestions set status = 'merged', decided_at = now()
         where guest_a = least($1::uuid, $2::uuid) and guest_b = greatest($1::uuid, $2::uuid) and status = 'open'`,
        [guestA, guestB],
      );
      return merged;
    });
    await this.cache.evict(guestA, guestB);
    return result;
  }

  /** A page of the open suggestions after `after` (the first page without it), strongest first. */
  async queue(principal: Principal, pageSize: number, after: ReviewQueuePosition | null) {
    // A property-scoped caller sees the pairs whose both guests stayed or booked at its properties.
    const { total, rows } = await readQueuePage(
      this.dataSource,
      propertyScopeFilter(principal),
      after,
      pageSize,
    );
    // Suggestions of one stay batch share their score and time: the id makes each position unique.
    const { items, nextCursor } = pageOf(rows, pageSize, (row) => [row.score, row.position_at, row.id]);
    return { total, pageSize, items: items.map(toSuggestion), nextCursor };
  }

  async decide(principal: Principal, suggestionId: string, decision: 'merge' | 'not-same') {
    const [row]: SuggestionRow[] = await this.dataSource.query(
      'select * from match_suggestions where id = $1',
      [suggestionId],
    );
    // A property-scoped token learns nothing of a suggestion outside its properties, not even that the id is
    // unknown (as with a guest id) or that it was decided.
    if (!row && !hasChainWideScope(principal)) assertGuestInScope(principal, []);
    if (!row) throw new ProfilesException('SUGGESTION_NOT_FOUND', `no suggestion ${suggestionId}`);
    await this.assertInScope(principal, row.guest_a, row.guest_b);
    // Read again under both guests' locks (taken before the suggestion's, in the order merges and stays take
    // them): of two managers deciding one suggestion at once, the second finds the first's decision instead
    // of merging a pair just recorded as two people, or the reverse.
    const stillOpen = async (manager: EntityManager) => {
      const [locked]: { status: string }[] = await manager.query(
        'select status from match_suggestions where id = $1 for update',
        [suggestionId],
      );
      if (!locked)
        throw new ProfilesException(
          'SUGGESTION_NOT_FOUND',
          `no suggestion ${suggestionId}: it was withdrawn, or one of its guests merged, since`,
        );
      if (locked.status !== 'open')
        throw new ProfilesException('SUGGESTION_DECIDED', `suggestion ${suggestionId} is ${locked.status}`);
    };
    if (decision === 'merge') return this.mergeInScope(row.guest_a, row.guest_b, { whenLocked: stillOpen });
    await this.recordNotSame(principal, row.guest_a, row.guest_b, stillOpen);
    return { notSame: [row.guest_a, row.guest_b] };
  }

  /**
   * Records that two profiles are different people: the pair is never suggested or merged automatically again.
   * @throws ProfilesException when a profile is missing, erased or merged away (staff decide on the profiles
   * they see; a decision about a merged-away id would never be consulted).
   */
  async notSame(principal: Principal, a: string, b: string): Promise<void> {
    if (a === b) throw new ProfilesException('SAME_GUEST', 'a guest is always the same person as itself');
    await this.assertInScope(principal, a, b);
    await this.recordNotSame(principal, a, b);
  }

  private async recordNotSame(
    principal: Principal,
    a: string,
    b: string,
    whenLocked?: (manager: EntityManager) => Promise<void>,
  ): Promise<void> {
    const [x, y] = [a, b].sort();
    await this.dataSource.transaction(async (manager) => {
      // Locked in id order as a merge locks them: a merge of either committed first is seen here, and one
      // that waits for this decision moves it to the survivor. `for no key update` leaves fact writers alone.
      const found: { id: string; status: string }[] = await manager.query(
        'select id, status from guests where id = any($1::uuid[]) order by id for no key update',
        [[x, y]],
      );
      await whenLocked?.(manager);
      for (const id of [x, y]) {
        const row = found.find((r) => r.id === id);
        if (!row) throw new ProfilesException('GUEST_NOT_FOUND', `no guest ${id}`);
        if (row.status === 'erased') throw new ProfilesException('GUEST_ERASED', `guest ${id} was erased`);
        if (row.status === 'merged')
          throw new ProfilesException(
            'GUEST_ALREADY_MERGED',
            `guest ${id} was merged; decide on its survivor`,
          );
      }
      await manager.query(
        `insert into match_suggestions (id, guest_a, guest_b, rule, score, status, decided_by, decided_at)
         values (gen_random_uuid(), $1, $2, 'manual', 0, 'not-same', $3, now())
         on conflict (guest_a, guest_b) do update set status = 'not-same', decided_by = $3, decided_at = now()`,
        [x, y, principal.sub],
      );
      await this.identities.record(manager, [
        { guestId: x, candidateId: y, outcome: 'not-same', rule: 'manual' },
      ]);
    });
  }
}

const toSuggestion = (r: QueuedSuggestionRow) => ({
  suggestionId: r.id,
  guestA: r.guest_a,
  guestB: r.guest_b,
  rule: r.rule,
  score: Number(r.score),
  createdAt: r.created_at.toISOString(),
});
