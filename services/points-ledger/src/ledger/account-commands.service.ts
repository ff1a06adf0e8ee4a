import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { EventData, EventType } from '@loyalty/contracts';
import { EventPublisher } from '@loyalty/messaging';
import type { Role } from '@loyalty/auth';
import { assertSameRequest, Clock, type RequestKey } from '@loyalty/platform';
import {
  assertWithinCap,
  assertWithinDailyLimit,
  LedgerError,
  LedgerErrorCode,
  overrideTier,
  type AccountStatus,
  type LedgerAccount,
  type LedgerChange,
  type RedemptionAudit,
  type StaffAtProperty,
} from '../domain';
import { AccountStore, MergeLinksChanged } from './account-store';
import { AccountWork, workFor, writesOf } from './account-work';
import { announce, announceTier, type AnnouncementContext, type Publish } from './ledger-announcements';
import { LEDGER_PROGRAM } from './ledger-program';
import { parkedForStaysOf } from './parked-adjustments';
import { keptText } from './redaction';
import { staffPointsInLastDay } from './staff-limits';
import { StayAdjustmentService } from './stay-adjustment.service';

export type StatusTarget = 'suspended' | 'active' | 'closed';

const STATUS_CHANGES: Record<
  StatusTarget,
  (account: LedgerAccount, reason: string, now: Date, parkedAdjustments: number) => LedgerChange
> = {
  suspended: (account, reason, now) => account.suspend(reason, now),
  active: (account, reason, now) => account.reactivate(reason, now),
  closed: (account, reason, now, parkedAdjustments) => account.close(reason, now, parkedAdjustments),
};

/** Each attempt that gives up saw another merge commit in a moment's window; three in a row is no race. */
const LOCK_ATTEMPTS = 3;

export interface HoldResult {
  holdId: string;
  points: number;
  expiresAt: string;
  balance: { available: number; held: number };
}

/**
 * Staff and guest commands over HTTP. Each runs in one transaction that locks the account row first
 * (`select ... for update`), so parallel redemptions on one account are serialised and can never
 * overdraw; events go to the outbox in the same transaction. A repeated `Idempotency-Key` returns the
 * first answer without doing anything again, if it comes with the same request (IDEMPOTENCY_KEY_REUSED
 * otherwise).
 */
@Injectable()
export class AccountCommandsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: AccountStore,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
    private readonly adjustments: StayAdjustmentService,
  ) {}

  /** Sets points aside, naming on the hold the staff member and the property, for the audit. */
  placeHold(
    guestId: string,
    points: number,
    ttlMinutes: number | undefined,
    requestKey: RequestKey,
    placedBy: StaffAtProperty,
  ): Promise<HoldResult> {
    return this.command(guestId, scoped('hold', requestKey), async (work, now) => {
      const holdId = randomUUID();
      const ttl = ttlMinutes ?? LEDGER_PROGRAM.holdTtlMinutes;
      work.apply(work.account.hold(points, holdId, ttl, now, placedBy));
      const hold = work.account.toSnapshot().holds.find((candidate) => candidate.id === holdId);
      const balances = work.account.balances();
      return {
        holdId,
        points,
        expiresAt: (hold?.expiresAt ?? now).toISOString(),
        balance: { available: balances.available, held: balances.held },
      };
    });
  }

  /**
   * Redeems a hold, naming on its entry the staff member, the property and the reward, and on the hold
   * the staff member and the property, for the audit.
   */
  confirmHold(
    guestId: string,
    holdId: string,
    redemption: RedemptionAudit & Required<Pick<AnnouncementContext, 'reward'>>,
  ): Promise<{ holdId: string; redeemed: number; balance: number }> {
    return this.command(guestId, undefined, async (work, now, publish, manager) => {
      await assertHoldOpen(manager, work, holdId);
      const change = work.apply(work.account.confirmHold(holdId, now, holdId, redemption));
      await announce(publish, change, {
        guestId: work.stored.guestId,
        reward: redemption.reward,
        propertyId: redemption.propertyId,
      });
      const hold = change.events.find((event) => event.type === 'points-redeemed');
      return { holdId, redeemed: hold?.points ?? 0, balance: change.account.balances().total };
    });
  }

  /** Gives the held points back, naming on the hold the staff member and the property, for the audit. */
  releaseHold(
    guestId: string,
    holdId: string,
    releasedBy: StaffAtProperty,
  ): Promise<{ holdId: string; available: number }> {
    return this.command(guestId, undefined, async (work, now, publish, manager) => {
      await assertHoldOpen(manager, work, holdId);
      const change = work.apply(work.account.releaseHold(holdId, now, releasedBy));
      // The points given back settle any clawback owed first, which lowers the balance.
      await announce(publish, change, { guestId: work.stored.guestId });
      return { holdId, available: change.account.balances().available };
    });
  }

  adjust(
    guestId: string,
    request: { points: number; reason: string; role: Role; staffId: string; complaintId?: string },
    requestKey: RequestKey,
  ): Promise<{ points: number; balance: number }> {
    assertWithinCap(request, LEDGER_PROGRAM.adjustmentCaps);
    return this.command(
      guestId,
      scoped('adjust', requestKey),
      async (work, now, publish, manager) => {
        const used = await staffPointsInLastDay(manager, request.staffId, now);
        assertWithinDailyLimit(request, used, LEDGER_PROGRAM.dailyAdjustmentLimits);
        const reason = keptText(work.stored, request.reason);
        const change = work.apply(
          work.account.adjust({ ...request, reason }, LEDGER_PROGRAM.adjustmentCaps, LEDGER_PROGRAM, now),
        );
        await announce(publish, change, { guestId: work.stored.guestId });
        return { points: request.points, balance: change.account.balances().total };
      },
      true,
    );
  }

  overrideTier(
    guestId: string,
    override: { tierId: string; reason: string; staffId: string; lockUntil: Date | null },
  ): Promise<{ tierId: string; validUntil: string | null }> {
    return this.command(guestId, undefined, async (work, now, publish) => {
      const reason = keptText(work.stored, override.reason);
      const evaluation = overrideTier(work.tier, LEDGER_PROGRAM, { ...override, reason }, now);
      work.tier = evaluation.status;
      await announceTier(publish, work.stored.guestId, evaluation.change);
      return { tierId: work.tier.tierId, validUntil: work.tier.validUntil?.toISOString() ?? null };
    });
  }

  /**
   * Suspends, reactivates or closes an account, and records who did it and why. Asking for the status
   * the account already has changes nothing and records nothing. A reactivation then applies the stay
   * adjustments the suspended account refused, each stay in a transaction of its own once it has
   * committed (the `apply-parked-adjustments` job does, should this be interrupted). A close is refused
   * while any are parked to apply to the account (`ADJUSTMENTS_PARKED`): counted under the account's lock,
   * which an adjustment the suspended account refuses is parked under, so none is parked unseen before
   * the close commits, and one that comes after finds the account closed.
   */
  async changeStatus(
    guestId: string,
    to: StatusTarget,
    audit: { reason: string; staffId: string; roles: readonly Role[] },
  ): Promise<{ status: AccountStatus; changed: boolean }> {
    const { accountId, ...result } = await this.command(
      guestId,
      undefined,
      async (work, now, _publish, manager) => {
        const reason = keptText(work.stored, audit.reason);
        const parked =
          to === 'closed'
            ? await parkedForStaysOf(manager, [work.id, ...work.account.toSnapshot().mergedAccountIds])
            : 0;
        const change = work.apply(STATUS_CHANGES[to](work.account, reason, now, parked));
        const moves = change.events.filter((event) => event.type === 'account-status-changed');
        for (const move of moves) {
          await manager.query(
            `insert into account_status_changes (account_id, from_status, to_status, reason, staff_id, staff_roles, changed_at)
             values ($1, $2, $3, $4, $5, $6, $7)`,
            [work.id, move.from, move.to, reason, audit.staffId, audit.roles, now],
          );
        }
        return { status: change.account.status, changed: moves.length > 0, accountId: work.id };
      },
    );
    if (result.changed && result.status === 'active') {
      // Its stays and those of the accounts merged into it, which keep the account id they were credited to.
      await this.adjustments.applyParkedOf(this.clock.now(), accountId);
    }
    return result;
  }

  /**
   * Moves points between two members in one transaction; both accounts are locked in id order, and each
   * side is announced as a `points-adjusted` naming the transfer. Capped like an adjustment by the staff
   * member's role, and counted in their daily limit: moving points to another member gives them away just
   * as surely.
   */
  async transfer(
    fromGuestId: string,
    toGuestId: string,
    points: number,
    requestKey: RequestKey,
    { staffId, role }: { staffId: string; role: Role },
  ): Promise<{ transferId: string; points: number }> {
    assertWithinCap({ points, role }, LEDGER_PROGRAM.adjustmentCaps);
    return this.transaction(async (manager) => {
      const now = this.clock.now();
      await this.store.ensure(manager, [toGuestId], now);
      const works = workFor(await this.store.lock(manager, [fromGuestId, toGuestId]));
      const from = works.get(fromGuestId);
      const to = works.get(toGuestId);
      if (!from || !to) throw notFound(fromGuestId);
      const transferKey = scoped('transfer', requestKey);
      const previous = await previousResult<{ transferId: string; points: number }>(
        manager,
        transferKey,
        fromGuestId,
      );
      if (previous) return previous;
      const used = await staffPointsInLastDay(manager, staffId, now);
      assertWithinDailyLimit({ points, role }, used, LEDGER_PROGRAM.dailyAdjustmentLimits);
      const transferId = randomUUID();
      const out = from.apply(from.account.transferOut(points, transferId, to.id, { staffId, role }, now));
      const into = to.apply(to.account.transferIn(out.transfer, now));
      await this.store.save(manager, writesOf([from, to]));
      const publish = this.publishIn(manager);
      await announce(publish, out, { guestId: from.stored.guestId, staffId });
      await announce(publish, into, { guestId: to.stored.guestId, staffId });
      const result = { transferId, points };
      await remember(manager, transferKey, { guestId: fromGuestId, accountId: from.id }, result);
      return result;
    });
  }

  /**
   * Runs `work` in a transaction, and again (at most `LOCK_ATTEMPTS` in all) when it gave up because an
   * account was merged while it was being locked: nothing was written, and the next attempt reads the new
   * merge link before locking. Event consumers retry this as any serialization failure; a request has no
   * one else to retry it.
   */
  private async transaction<R>(work: (manager: EntityManager) => Promise<R>): Promise<R> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(work);
      } catch (error) {
        if (!(error instanceof MergeLinksChanged) || attempt >= LOCK_ATTEMPTS) throw error;
      }
    }
  }

  /** Puts events in this transaction's outbox; a guest event is keyed by the guest its payload names. */
  private publishIn(manager: EntityManager): Publish {
    return <T extends EventType>(type: T, data: EventData<T>) =>
      this.publisher.publish(manager, type, data).then(() => undefined);
  }

  private async command<R>(
    guestId: string,
    requestKey: RequestKey | undefined,
    operation: (work: AccountWork, now: Date, publish: Publish, manager: EntityManager) => Promise<R>,
    createIfMissing = false,
  ): Promise<R> {
    return this.transaction(async (manager) => {
      const now = this.clock.now();
      if (createIfMissing) await this.store.ensure(manager, [guestId], now);
      const stored = await this.store.lockOne(manager, guestId);
      if (!stored) throw notFound(guestId);
      if (requestKey) {
        const previous = await previousResult<R>(manager, requestKey, guestId);
        if (previous) return previous;
      }
      const work = new AccountWork(stored);
      const result = await operation(work, now, this.publishIn(manager), manager);
      await this.store.save(manager, writesOf([work]));
      if (requestKey) await remember(manager, requestKey, { guestId, accountId: stored.account.id }, result);
      return result;
    });
  }
}

/**
 * Only open holds are loaded with an account; a settled one is refused as such, not as unknown. A merge
 * moves only open holds to the survivor, so one settled before it is still on the merged account's id.
 */
async function assertHoldOpen(manager: EntityManager, work: AccountWork, holdId: string): Promise<void> {
  const snapshot = work.account.toSnapshot();
  if (snapshot.holds.some((hold) => hold.id === holdId)) return;
  const [settled]: { state: string }[] = await manager.query(
    'select state from holds where id = $1 and account_id = any($2::text[])',
    [holdId, [work.id, ...snapshot.mergedAccountIds]],
  );
  if (settled) {
    throw new LedgerError(LedgerErrorCode.HOLD_NOT_OPEN, `hold ${holdId} is already ${settled.state}`, {
      holdId,
      state: settled.state,
    });
  }
}

function notFound(guestId: string): NotFoundException {
  return new NotFoundException({ code: 'ACCOUNT_NOT_FOUND', message: `no account for guest ${guestId}` });
}

/** A key is the client's, so the same one may come with another command: each command has its own. */
function scoped(command: string, requestKey: RequestKey): RequestKey {
  return { ...requestKey, key: `${command}:${requestKey.key}` };
}

/**
 * A key is kept under the guest id of the request's path, as the client addressed it: the account that id
 * leads to changes when the guest is merged, and a retry after the merge must still find the first answer.
 */
function keptKey(guestId: string, requestKey: RequestKey): string {
  return `${guestId}|${requestKey.key}`;
}

/**
 * The first answer given under this key to a request for this guest, when there was one.
 * @throws LedgerError IDEMPOTENCY_KEY_REUSED when the key came with another request then.
 */
async function previousResult<R>(
  manager: EntityManager,
  requestKey: RequestKey,
  guestId: string,
): Promise<R | undefined> {
  const [previous]: { result: R; request_fingerprint: string | null }[] = await manager.query(
    `select result, request_fingerprint from applied_operations where kind = 'http' and key = $1`,
    [keptKey(guestId, requestKey)],
  );
  if (!previous) return undefined;
  assertSameRequest(requestKey, previous.request_fingerprint, keyReused);
  return previous.result;
}

const keyReused = (message: string) => new LedgerError(LedgerErrorCode.IDEMPOTENCY_KEY_REUSED, message);

async function remember(
  manager: EntityManager,
  requestKey: RequestKey,
  { guestId, accountId }: { guestId: string; accountId: string },
  result: unknown,
): Promise<void> {
  await manager.query(
    `insert into applied_operations (kind, key, account_id, result, request_fingerprint)
     values ('http', $1, $2, $3::jsonb, $4)`,
    [keptKey(guestId, requestKey), accountId, JSON.stringify(result), requestKey.fingerprint],
  );
}
