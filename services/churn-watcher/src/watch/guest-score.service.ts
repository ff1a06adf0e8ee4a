import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { assessLapse, conditionalExpectedTransactions, dateOfDay, type RiskLine } from '@loyalty/lifetime';
import { localDay } from '../domain';
import { EpisodeStore } from './episode-store';
import { modelFor, ModelStore, modelVersion } from './model-store';
import { ProfilingConsentStore } from './profiling-consent-store';
import { RISK_LINE } from './risk-line.provider';
import { warnOfUnknownZone } from './unknown-zone';
import { VisitStore } from './visit-store';

const OUTLOOK_DAYS = 90;

/** A guest's churn score as of now, for the HTTP API. */
@Injectable()
export class GuestScoreService {
  private readonly logger = new Logger(GuestScoreService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly visits: VisitStore,
    private readonly episodes: EpisodeStore,
    private readonly models: ModelStore,
    private readonly consents: ProfilingConsentStore,
    @Inject(RISK_LINE) private readonly line: RiskLine,
  ) {}

  /**
   * Undefined for a guest with neither a visit nor an open alert. A guest whose every stay an adjustment
   * left at 0 nights has no visit, hence no summary, but may still have an alert open from before: it is
   * answered with the alert and no visit figures, so the alert does not vanish from view. The visits, the
   * alert and the model are read in one snapshot, so a stay committing meanwhile shows whole or not at all:
   * never the alert it closed gone beside the last stay before it. The reads take no locks, so a stay
   * batch holding the guest does not hold the answer back. A guest who objects to profiling is not scored:
   * their visits are answered with the model null.
   */
  async score(guestId: string, now: Date) {
    const { guest, episode, models, objecting } = await this.dataSource.transaction(
      'REPEATABLE READ',
      async (manager) => ({
        guest: await this.visits.guest(manager, guestId),
        episode: await this.episodes.openFor(manager, guestId),
        models: await this.models.latest(manager),
        objecting: await this.consents.objecting(manager, [guestId]),
      }),
    );
    const openAlert = episode
      ? { riskLevel: episode.riskLevel, openedAt: episode.openedAt, evidence: episode.evidence }
      : null;
    if (!guest) return openAlert ? { ...withoutVisits(guestId), openAlert, model: null } : undefined;
    const model = objecting.has(guestId) ? undefined : modelFor(models, guest.segment);
    const today = localDay(now, guest.timeZone, warnOfUnknownZone(this.logger, `guest ${guestId} is scored`));
    const visits = {
      guestId,
      segment: guest.segment,
      repeatStays: guest.repeatVisits,
      firstStay: dateOfDay(guest.firstDay),
      lastStay: dateOfDay(guest.lastDay),
      meanIntervalDays: guest.meanIntervalDays,
      intervalDeviationDays: guest.intervalDeviationDays,
      openAlert,
    };
    if (!model) return { ...visits, model: null };
    const assessment = assessLapse(model.parameters, this.line, guest, today);
    const expectedStays = conditionalExpectedTransactions(
      model.parameters,
      OUTLOOK_DAYS,
      guest.repeatVisits,
      guest.lastDay - guest.firstDay,
      Math.max(today - guest.firstDay, guest.lastDay - guest.firstDay),
    );
    return {
      ...visits,
      ...assessment,
      expectedStays: { nextDays: OUTLOOK_DAYS, stays: expectedStays },
      model: modelVersion(model),
    };
  }
}

/** The figures of a guest with no visit: none. */
function withoutVisits(guestId: string) {
  return {
    guestId,
    segment: null,
    repeatStays: null,
    firstStay: null,
    lastStay: null,
    meanIntervalDays: null,
    intervalDeviationDays: null,
  };
}
