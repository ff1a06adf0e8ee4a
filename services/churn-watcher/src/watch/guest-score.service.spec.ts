import type { DataSource } from 'typeorm';
import { DEFAULT_RISK_LINE, dayNumber } from '@loyalty/lifetime';
import { CHAIN_WIDE } from '../domain';
import type { Episode, EpisodeStore } from './episode-store';
import { GuestScoreService } from './guest-score.service';
import type { ModelStore } from './model-store';
import type { ProfilingConsentStore } from './profiling-consent-store';
import { LAPSE, LAPSED_GUEST, MONTHLY_MODEL } from './watch.fixtures';
import type { GuestRow, VisitStore } from './visit-store';

/**
 * The score of the guest with the summary (none: no visit) and the open episode, if any, who objects to
 * profiling when `objects`.
 */
function scoreOf(guest: GuestRow | undefined, episode: Episode | undefined, now: Date, objects = false) {
  const visits = { guest: async () => guest } as unknown as VisitStore;
  const episodes = { openFor: async () => episode } as unknown as EpisodeStore;
  const models = { latest: async () => new Map([[CHAIN_WIDE, MONTHLY_MODEL]]) } as unknown as ModelStore;
  const consents = {
    objecting: async () => new Set(objects ? [LAPSED_GUEST] : []),
  } as unknown as ProfilingConsentStore;
  const dataSource = { transaction: (_isolation: string, work: (manager: object) => unknown) => work({}) };
  const service = new GuestScoreService(
    dataSource as unknown as DataSource,
    visits,
    episodes,
    models,
    consents,
    DEFAULT_RISK_LINE,
  );
  return service.score(LAPSED_GUEST, now);
}

/** A guest with a monthly stay until 10 January, last at a property in `timeZone`. */
function monthlyGuest(timeZone: string): GuestRow {
  const lastDay = dayNumber('2031-01-10');
  return {
    guestId: LAPSED_GUEST,
    segment: 'leisure',
    timeZone,
    firstDay: lastDay - 300,
    lastDay,
    repeatVisits: 10,
    meanIntervalDays: 30,
    intervalDeviationDays: 0,
  };
}

/** The score of a guest with a monthly stay until 10 January, last at a property in `timeZone`. */
function scoreIn(timeZone: string, now: Date) {
  return scoreOf(monthlyGuest(timeZone), undefined, now);
}

describe('GuestScoreService.score', () => {
  it('should count the days since the last stay to the local date at its property', async () => {
    // At 03:00 UTC on 28 February it is still the 27th in Los Angeles; at noon UTC, 1 March in Kiribati.
    expect(await scoreIn('America/Los_Angeles', new Date('2031-02-28T03:00:00Z'))).toMatchObject({
      lastStay: '2031-01-10',
      daysSinceLastStay: 48,
    });
    expect(await scoreIn('Europe/Amsterdam', new Date('2031-02-28T03:00:00Z'))).toMatchObject({
      daysSinceLastStay: 49,
    });
    expect(await scoreIn('Pacific/Kiritimati', new Date('2031-02-28T12:00:00Z'))).toMatchObject({
      daysSinceLastStay: 50,
    });
  });

  it('should show the open alert of a guest left with no visit when every stay is at 0 nights', async () => {
    expect(await scoreOf(undefined, LAPSE, new Date('2031-04-02T12:00:00Z'))).toEqual({
      guestId: LAPSED_GUEST,
      segment: null,
      repeatStays: null,
      firstStay: null,
      lastStay: null,
      meanIntervalDays: null,
      intervalDeviationDays: null,
      openAlert: { riskLevel: 'elevated', openedAt: LAPSE.openedAt, evidence: LAPSE.evidence },
      model: null,
    });
  });

  it('should answer the visits of a guest who objects to profiling without scoring them', async () => {
    const score = await scoreOf(monthlyGuest('UTC'), undefined, new Date('2031-02-28T12:00:00Z'), true);
    expect(score).toEqual({
      guestId: LAPSED_GUEST,
      segment: 'leisure',
      repeatStays: 10,
      firstStay: '2030-03-16',
      lastStay: '2031-01-10',
      meanIntervalDays: 30,
      intervalDeviationDays: 0,
      openAlert: null,
      model: null,
    });
  });

  it('should find no score when the guest has neither a visit nor an open alert', async () => {
    expect(await scoreOf(undefined, undefined, new Date('2031-04-02T12:00:00Z'))).toBeUndefined();
  });
});
