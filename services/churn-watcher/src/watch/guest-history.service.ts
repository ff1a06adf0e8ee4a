import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  latestNightsPerStay,
  type EventData,
  type NightsPosting,
  type StayReferenceDto,
} from '@loyalty/contracts';
import { assessLapse, type RiskLine } from '@loyalty/lifetime';
import { GuestTombstones } from '@loyalty/persistence';
import { firstReturn, lapseKeptByMerge, localDay, objectsToProfiling, stayKeyOf } from '../domain';
import { restoredEvent } from './churn-announcements';
import { EpisodeStore, OBJECTED_TO_PROFILING, type Episode } from './episode-store';
import { modelFor, ModelStore } from './model-store';
import { NightsStore } from './nights-store';
import { ProfilingConsentStore } from './profiling-consent-store';
import type { Publish } from './publish';
import { RISK_LINE } from './risk-line.provider';
import { SignalStore } from './signal-store';
import { warnOfUnknownZone } from './unknown-zone';
import { VisitStore, type GuestRow } from './visit-store';

/** A lapsed guest's first return, and what publishes its restore. */
interface Return {
  readonly guest: GuestRow;
  readonly episode: Episode;
  readonly stay: StayReferenceDto;
  readonly publish: Publish;
}

/**
 * Keeps each guest's visits current as stays, their nights, merges and erasures arrive; a visit ends an
 * open episode.
 */
@Injectable()
export class GuestHistoryService {
  private readonly logger = new Logger(GuestHistoryService.name);

  constructor(
    private readonly visits: VisitStore,
    private readonly nights: NightsStore,
    private readonly episodes: EpisodeStore,
    private readonly signals: SignalStore,
    private readonly consents: ProfilingConsentStore,
    private readonly tombstones: GuestTombstones,
    private readonly models: ModelStore,
    @Inject(RISK_LINE) private readonly line: RiskLine,
  ) {}

  /**
   * Records a run of stays in a few statements: the visits, then the summaries of the guests with a new
   * one. A guest with an open episode is restored by their first return (`restoreReturns`). A stay of an
   * erased guest is dropped, one of a merged id goes to the survivor; one whose nights an adjustment
   * handled before it set to 0 is recorded, and is no visit.
   */
  async recordStays(
    manager: EntityManager,
    stays: readonly { stay: EventData<'stay-recorded'>; publish: Publish }[],
    now: Date,
  ): Promise<void> {
    const data = stays.map(({ stay }) => stay);
    // Before the guests' locks, as an adjustment takes its stays' rows: one of a stay waits for the other.
    await this.nights.lockForStays(manager, data);
    const living = await this.tombstones.follow(manager, data);
    const recorded = await this.visits.addVisits(manager, living);
    // The rows just written for an erased guest's stays go with the stays.
    const kept = new Set(living.map((stay) => stay.stayId));
    await this.nights.forgetUnvisited(
      manager,
      data.filter((stay) => !kept.has(stay.stayId)),
    );
    const publishers = new Map<string, Publish>();
    for (const { stay, publish } of stays)
      if (recorded.has(stay.stayId)) publishers.set(stayKeyOf(stay), publish);
    const guestIds = [...new Set(recorded.values())];
    await this.restoreReturns(manager, guestIds, publishers, now);
  }

  /**
   * Keeps the nights adjustments posted for stays (v2 `stay-adjusted`; the latest posted stands), whether
   * or not the stay is recorded yet, and recomputes the summaries of the guests whose stays they adjust: a
   * stay at 0 nights is no visit, and one given nights again is one again, which may be a lapsed guest's
   * first return. A stay recorded later reads its nights as it is recorded.
   */
  async adjustNights(
    manager: EntityManager,
    adjustments: readonly (NightsPosting & { publish: Publish })[],
    now: Date,
  ): Promise<void> {
    const latest = latestNightsPerStay(adjustments);
    if (latest.length === 0) return;
    // Before the guests' locks, as a stay batch takes its stays' rows: one of a stay waits for the other.
    const adjusted = await this.nights.keepLatest(manager, latest);
    const publishers = new Map(latest.map((posting) => [stayKeyOf(posting), posting.publish]));
    await this.restoreReturns(manager, await this.guestsWithStays(manager, adjusted), publishers, now);
  }

  /**
   * The survivor gets the merged guest's stays, signals and episodes, and keeps one open episode: of the
   * two guests' lapses the later one, so a lapse already alerted is not alerted again by the next scan
   * and the guest's return restores it. If the combined stays show a stay after that alert's last
   * departure, the guest never left: the episode is closed as restored, naming the first of those stays
   * (their first return), not the latest the merged profile brings. An objection to profiling of either
   * guest holds for the survivor (`foldMergedConsents`), and closes that episode instead. A stay, signal or
   * news of consent of the merged guest that arrives later is the survivor's. A merge into a guest erased
   * meanwhile erases the merged guest: they are the same person.
   */
  async merge(
    manager: EntityManager,
    merge: EventData<'guest-merged'>,
    now: Date,
    publish: Publish,
  ): Promise<void> {
    const { mergedId } = merge;
    // Before the guests' keys, as a stay batch takes its stays' rows: a merge into an erased guest deletes them.
    await this.nights.lockStaysOf(manager, [mergedId]);
    const survivor = await this.tombstones.entomb(manager, mergedId, merge.survivorId);
    if (survivor.erasedAt) return this.forget(manager, mergedId);
    const survivorId = survivor.id;
    await this.visits.lockSummaries(manager, [survivorId, mergedId]);
    await this.visits.moveVisits(manager, survivorId, mergedId);
    await this.signals.moveSignals(manager, survivorId, mergedId);
    const consent = await this.consents.moveConsent(manager, survivorId, mergedId);
    const guest = (await this.visits.refreshSummaries(manager, [survivorId], now)).get(survivorId);
    const open = await this.episodes.lockOpen(manager, [survivorId, mergedId]);
    const [own, brought] = [open.get(survivorId), open.get(mergedId)];
    const kept = lapseKeptByMerge(own, brought);
    const superseded = kept === own ? brought : own;
    if (superseded) await this.episodes.close(manager, [{ id: superseded.id, closedBy: 'merged' }], now);
    await this.episodes.moveEpisodes(manager, survivorId, mergedId);
    if (!kept) return;
    if (objectsToProfiling(consent))
      return this.episodes.close(manager, [{ id: kept.id, closedBy: OBJECTED_TO_PROFILING }], now);
    const visits = (await this.visits.visitsOf(manager, [survivorId])).get(survivorId) ?? [];
    const stay = firstReturn(kept, visits);
    if (stay && guest) await this.restore(manager, [{ guest, episode: kept, stay, publish }], now);
  }

  /**
   * Deletes all the watcher knows of the guest, also what ids merged into them brought: stays, their nights,
   * signals, consent to profiling and episodes.
   */
  async erase(manager: EntityManager, { guestId, erasedAt }: EventData<'guest-erased'>): Promise<void> {
    // Before the guest's key, as a stay batch or an adjustment takes its stays' rows: a stay's row held by
    // one waiting for the key would otherwise deadlock with the erasure waiting for that row.
    await this.nights.lockStaysOf(manager, [guestId]);
    await this.tombstones.entombErased(manager, guestId, new Date(erasedAt));
    await this.forget(manager, guestId);
  }

  private async forget(manager: EntityManager, guestId: string): Promise<void> {
    const stays = await this.visits.staysOf(manager, guestId);
    await this.visits.forget(manager, guestId);
    await this.nights.forgetUnvisited(manager, stays);
    await this.signals.forget(manager, guestId);
    await this.consents.forget(manager, guestId);
    await this.episodes.forget(manager, guestId);
  }

  /**
   * Recomputes the guests' summaries after their stays or nights changed, and restores each who has an
   * open episode and now a visit after its lapse: their first return, the earliest departing such visit of
   * all stored, not only of those just handled (a stay whose nights were 0 when it came is one now). The
   * restore is published by what made that visit (`publishers`, by `stayKeyOf`).
   */
  private async restoreReturns(
    manager: EntityManager,
    guestIds: readonly string[],
    publishers: ReadonlyMap<string, Publish>,
    now: Date,
  ): Promise<void> {
    const guests = await this.visits.refreshSummaries(manager, guestIds, now);
    const open = await this.episodes.lockOpen(manager, guestIds);
    if (open.size === 0) return;
    const visits = await this.visits.visitsOf(manager, [...open.keys()]);
    // Any visit after the lapse would have ended it as it became one: the first return is one just handled.
    const [anyPublisher] = publishers.values();
    const returns = [...open].flatMap(([guestId, episode]) => {
      const [guest, stay] = [guests.get(guestId), firstReturn(episode, visits.get(guestId) ?? [])];
      if (!guest || !stay) return [];
      return [{ guest, episode, stay, publish: publishers.get(stayKeyOf(stay)) ?? anyPublisher }];
    });
    await this.restore(manager, returns, now);
  }

  /**
   * The guests the stays are recorded for, locked as a stay batch or a merge locks them. A merge that
   * commits while this waits for a guest's lock has moved the stays to the survivor: they are read again
   * until every guest they are under is locked (locked, a guest can no longer be merged away).
   */
  private async guestsWithStays(
    manager: EntityManager,
    stays: readonly { propertyId: string; reservationId: string }[],
  ): Promise<string[]> {
    const locked = new Set<string>();
    for (;;) {
      const guestIds = await this.visits.guestsWithStays(manager, stays);
      const unlocked = guestIds.filter((id) => !locked.has(id));
      if (unlocked.length === 0) return guestIds;
      for (const [id, now] of await this.tombstones.current(manager, unlocked)) {
        locked.add(id).add(now.guestId);
      }
    }
  }

  /**
   * Closes the guests' open episodes, locked by the caller, as ended by their stays, in one statement for
   * all of them, and announces each return; P(alive) is as of the local date at the guest's last stay's
   * property.
   */
  private async restore(manager: EntityManager, returns: readonly Return[], now: Date): Promise<void> {
    if (returns.length === 0) return;
    await this.episodes.close(
      manager,
      returns.map(({ episode, stay }) => ({ id: episode.id, closedBy: `stay:${stay.stayId}` })),
      now,
    );
    const models = await this.models.latest(manager);
    for (const { guest, stay, publish } of returns) {
      const model = modelFor(models, guest.segment);
      const today = localDay(
        now,
        guest.timeZone,
        warnOfUnknownZone(this.logger, `guest ${guest.guestId}'s return is`),
      );
      const alive = model ? assessLapse(model.parameters, this.line, guest, today).probabilityAlive : 1;
      await publish('visit-frequency-restored', restoredEvent(guest.guestId, stay, alive, now));
    }
  }
}
