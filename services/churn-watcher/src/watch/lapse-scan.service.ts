import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventData } from '@loyalty/contracts';
import { findLapses, type RiskLine } from '@loyalty/lifetime';
import { localDaysAt, RECENT_SIGNAL_DAYS } from '../domain';
import { droppedEvent } from './churn-announcements';
import { EpisodeStore } from './episode-store';
import { groupBy, groupByLocalDay, visitColumns } from './guest-columns';
import { modelFor, ModelStore, type StoredModel } from './model-store';
import { ProfilingConsentStore } from './profiling-consent-store';
import { RISK_LINE } from './risk-line.provider';
import { SignalStore } from './signal-store';
import { warnOfUnknownZone } from './unknown-zone';
import { VisitStore, type GuestRow } from './visit-store';

export interface ScanReport {
  readonly scored: number;
  readonly alerts: number;
}

const DAY_MS = 86_400_000;

/**
 * The daily scan: every guest with an established pattern, no open episode and no objection to profiling is
 * scored in one pass per model and local date (that of their last stay's property, the calendar their stays
 * are dated in); each who crosses the risk line gets an episode and one `visit-frequency-dropped`. A guest
 * whose zone this runtime does not know is judged on the UTC date, with one warning per zone and scan, and the
 * scan goes on.
 */
@Injectable()
export class LapseScanService {
  private readonly logger = new Logger(LapseScanService.name);

  constructor(
    private readonly visits: VisitStore,
    private readonly episodes: EpisodeStore,
    private readonly signals: SignalStore,
    private readonly models: ModelStore,
    private readonly consents: ProfilingConsentStore,
    @Inject(RISK_LINE) private readonly line: RiskLine,
  ) {}

  /**
   * Undefined when there is no model yet to score with. `publish` puts the alerts in the outbox of
   * `manager`'s transaction, all in one write.
   */
  async scan(
    manager: EntityManager,
    now: Date,
    publish: (alerts: EventData<'visit-frequency-dropped'>[]) => Promise<unknown>,
  ): Promise<ScanReport | undefined> {
    const models = await this.models.latest(manager);
    if (models.size === 0) return undefined;
    const open = await this.episodes.openGuestIds(manager);
    const guests = (await this.visits.guests(manager, this.line.minRepeatStays)).filter(
      (guest) => !open.has(guest.guestId),
    );
    // One for the whole scan, whatever the models: each zone is worked out, and warned of, once.
    const dayIn = localDaysAt(now, warnOfUnknownZone(this.logger, 'the scan judges its guests'));
    const lapsing = [...groupBy(guests, (guest) => modelFor(models, guest.segment))].flatMap(
      ([model, group]) => (model ? this.lapsesOf(model, group, dayIn) : []),
    );
    const since = new Date(now.getTime() - RECENT_SIGNAL_DAYS * DAY_MS);
    const signals = await this.signals.recent(
      manager,
      lapsing.map(({ guest }) => guest.guestId),
      since,
    );
    // The guests were read without locks: one whose summary changed since (a stay, an adjustment, a merge)
    // was judged on figures that no longer hold, and is left to the next scan. One statement locks the rest
    // in id order, as a stay batch and a merge do, so they cannot deadlock.
    const unchanged = await this.visits.lockUnchanged(
      manager,
      lapsing.map(({ guest }) => guest),
    );
    // An objection to profiling committed since the guests were read is read now that they are held: its
    // news takes their rows too, before it closes their episodes, so it is seen here or closes this one.
    const objecting = await this.consents.objecting(manager, [...unchanged]);
    const alerts = lapsing
      .filter(({ guest }) => unchanged.has(guest.guestId) && !objecting.has(guest.guestId))
      .map(({ guest, lapse, model }) => ({
        model,
        event: droppedEvent(guest, lapse, signals.get(guest.guestId) ?? [], model, now),
      }));
    // One statement for every episode and one for every event, so the guests locked above are held for no
    // round trip per alert.
    const opened = await this.episodes.open(
      manager,
      alerts.map(({ event, model }) => ({
        guestId: event.guestId,
        riskLevel: event.riskLevel,
        evidence: event.evidence,
        modelId: model.id,
        openedAt: now,
      })),
    );
    await publish(alerts.flatMap(({ event }) => (opened.has(event.guestId) ? [event] : [])));
    return { scored: guests.length, alerts: opened.size };
  }

  private lapsesOf(model: StoredModel, guests: readonly GuestRow[], dayIn: (timeZone: string) => number) {
    return [...groupByLocalDay(guests, dayIn)].flatMap(([today, group]) =>
      findLapses(model.parameters, this.line, visitColumns(group), today).map((lapse) => ({
        guest: group[lapse.row],
        lapse,
        model,
      })),
    );
  }
}
