import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventData, StayReferenceDto } from '@loyalty/contracts';
import { assessLapse, type RiskLine } from '@loyalty/lifetime';
import { GuestTombstones } from '@loyalty/persistence';
import { firstReturn, lapseKeptByMerge, localDay } from '../domain';
import { restoredEvent } from './churn-announcements';
import { EpisodeStore, type Episode } from './episode-store';
import { groupBy } from './guest-columns';
import { modelFor, ModelStore } from './model-store';
import type { Publish } from './publish';
import { RISK_LINE } from './risk-line.provider';
import { SignalStore } from './signal-store';
import { VisitStore, type GuestRow } from './visit-store';

/** Keeps each guest's visits current as stays, merges and erasures arrive; a stay ends an open episode. */
@Injectable()
export class GuestHistoryService {
  constructor(
    private readonly visits: VisitStore,
    private readonly episodes: EpisodeStore,
    private readonly signals: SignalStore,
    private readonly tombstones: GuestTombstones,
    private readonly models: ModelStore,
    @Inject(RISK_LINE) private readonly line: RiskLine,
  ) {}

  /**
   * Records a run of stays in a few statements: the visits, then the summaries of the guests with a new
   * one. A guest with an open episode is restored by their first return: of their new stays that departed
   * after the alert's last departure, the earliest departing, in whatever order the run brought them. A
   * stay of an erased guest is dropped, one of a merged id goes to the survivor.
   */
  async recordStays(
    manager: EntityManager,
    stays: readonly { stay: EventData<'stay-recorded'>; publish: Publish }[],
    now: Date,
  ): Promise<void> {
    const living = await this.tombstones.follow(
      manager,
      stays.map(({ stay }) => stay),
    );
    const recorded = await this.visits.addVisits(manager, living);
    const fresh = stays.flatMap(({ stay, publish }) => {
      const guestId = recorded.get(stay.stayId);
      return guestId === undefined ? [] : [{ ...stay, guestId, publish }];
    });
    const byGuest = groupBy(fresh, (stay) => stay.guestId);
    const guestIds = [...byGuest.keys()];
    const guests = await this.visits.refreshSummaries(manager, guestIds, now);
    const open = await this.episodes.lockOpen(manager, guestIds);
    for (const [guestId, arrivals] of byGuest) {
      const episode = open.get(guestId);
      if (!episode) continue;
      const comeback = firstReturn(episode, arrivals);
      if (comeback)
        await this.restore(manager, guests.get(guestId), episode, comeback, now, comeback.publish);
    }
  }

  /**
   * The survivor gets the merged guest's stays, signals and episodes, and keeps one open episode: of the
   * two guests' lapses the later one, so a lapse already alerted is not alerted again by the next scan
   * and the guest's return restores it. If the combined stays show a stay after that alert's last
   * departure, the guest never left: the episode is closed as restored, naming the first of those stays
   * (their first return), not the latest the merged profile brings. A stay or signal of the merged
   * guest that arrives later is the survivor's. A merge into a guest erased meanwhile erases the merged
   * guest: they are the same person.
   */
  async merge(
    manager: EntityManager,
    merge: EventData<'guest-merged'>,
    now: Date,
    publish: Publish,
  ): Promise<void> {
    const { mergedId } = merge;
    const survivor = await this.tombstones.entomb(manager, mergedId, merge.survivorId);
    if (survivor.erasedAt) return this.forget(manager, mergedId);
    const survivorId = survivor.id;
    await this.visits.lockSummaries(manager, [survivorId, mergedId]);
    await this.visits.moveVisits(manager, survivorId, mergedId);
    await this.signals.moveSignals(manager, survivorId, mergedId);
    const guest = (await this.visits.refreshSummaries(manager, [survivorId], now)).get(survivorId);
    const own = await this.episodes.openFor(manager, survivorId);
    const brought = await this.episodes.openFor(manager, mergedId);
    const kept = lapseKeptByMerge(own, brought);
    const superseded = kept === own ? brought : own;
    if (superseded) await this.episodes.close(manager, superseded.id, now, 'merged');
    await this.episodes.moveEpisodes(manager, survivorId, mergedId);
    if (!kept) return;
    const comeback = firstReturn(kept, await this.visits.stays(manager, survivorId));
    if (comeback) await this.restore(manager, guest, kept, comeback, now, publish);
  }

  async erase(manager: EntityManager, { guestId, erasedAt }: EventData<'guest-erased'>): Promise<void> {
    await this.tombstones.entombErased(manager, guestId, new Date(erasedAt));
    await this.forget(manager, guestId);
  }

  private async forget(manager: EntityManager, guestId: string): Promise<void> {
    await this.visits.forget(manager, guestId);
    await this.signals.forget(manager, guestId);
    await this.episodes.forget(manager, guestId);
  }

  /**
   * Closes the guest's open episode, locked by the caller, as ended by the stay; P(alive) is as of the
   * local date at the guest's last stay's property.
   */
  private async restore(
    manager: EntityManager,
    guest: GuestRow | undefined,
    episode: Episode,
    stay: StayReferenceDto,
    now: Date,
    publish: Publish,
  ): Promise<void> {
    if (!guest) return;
    await this.episodes.close(manager, episode.id, now, `stay:${stay.stayId}`);
    const model = modelFor(await this.models.latest(manager), guest.segment);
    const alive = model
      ? assessLapse(model.parameters, this.line, guest, localDay(now, guest.timeZone)).probabilityAlive
      : 1;
    await publish('visit-frequency-restored', restoredEvent(guest.guestId, stay, alive, now));
  }
}
