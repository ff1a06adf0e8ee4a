import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventData } from '@loyalty/contracts';
import { DEFAULT_RISK_LINE, dayNumber, summariseVisits } from '@loyalty/lifetime';
import type { EpisodeStore } from './episode-store';
import { LapseScanService } from './lapse-scan.service';
import type { ModelStore, StoredModel } from './model-store';
import type { ProfilingConsentStore } from './profiling-consent-store';
import { MONTHLY_MODEL } from './watch.fixtures';
import type { SignalStore } from './signal-store';
import type { GuestRow, VisitStore } from './visit-store';

/** 03:00 UTC on 28 February, the default scan hour: still the 27th in Los Angeles. */
const SCAN = new Date('2031-02-28T03:00:00Z');

/** A zone this runtime's ICU data does not know, as one of a newer tz release is unknown to an older pod. */
const ZONE_OF_A_NEWER_TZ_RELEASE = 'America/Zone_Of_A_Newer_Tz_Release';

/** A guest with ten repeat stays, every 30 days, the last departing on `lastDeparture`. */
function guest(guestId: string, lastDeparture: string, timeZone: string, segment = 'leisure'): GuestRow {
  const lastDay = dayNumber(lastDeparture);
  const days = Array.from({ length: 11 }, (_, i) => lastDay - 300 + 30 * i);
  return { guestId, segment, timeZone, ...summariseVisits(days) };
}

/**
 * The `visit-frequency-dropped` events a scan at `now` publishes for the guests, scored by `models`, of whom
 * those `objecting` object to profiling once the scan holds them.
 */
async function dropped(
  guests: GuestRow[],
  now: Date,
  models: StoredModel[] = [MONTHLY_MODEL],
  objecting: string[] = [],
): Promise<EventData<'visit-frequency-dropped'>[]> {
  const published: EventData<'visit-frequency-dropped'>[] = [];
  const publish = async (alerts: EventData<'visit-frequency-dropped'>[]) => {
    published.push(...alerts);
  };
  const visits = {
    guests: async () => guests,
    lockUnchanged: async () => new Set(guests.map((row) => row.guestId)),
  } as unknown as VisitStore;
  const episodes = {
    openGuestIds: async () => new Set(),
    open: async (_m: EntityManager, opened: { guestId: string }[]) =>
      new Set(opened.map((episode) => episode.guestId)),
  } as unknown as EpisodeStore;
  const signals = { recent: async () => new Map() } as unknown as SignalStore;
  const store = {
    latest: async () => new Map(models.map((model) => [model.segment, model])),
  } as unknown as ModelStore;
  const consents = { objecting: async () => new Set(objecting) } as unknown as ProfilingConsentStore;
  const scanner = new LapseScanService(visits, episodes, signals, store, consents, DEFAULT_RISK_LINE);
  await scanner.scan({} as EntityManager, now, publish);
  return published;
}

describe('LapseScanService.scan', () => {
  afterEach(() => jest.restoreAllMocks());

  it("should count each guest's days since their last stay to the local date at its property", async () => {
    const alerts = await dropped(
      [
        guest('amsterdam', '2031-01-10', 'Europe/Amsterdam'),
        guest('los-angeles', '2031-01-10', 'America/Los_Angeles'),
        guest('los-angeles-earlier', '2031-01-09', 'America/Los_Angeles'),
      ],
      SCAN,
    );
    // 49 days in Amsterdam, past the line; 48 in Los Angeles, where it is still the 27th, not yet.
    expect(alerts.map(({ guestId, evidence }) => [guestId, evidence.daysSinceLastStay])).toEqual([
      ['amsterdam', 49],
      ['los-angeles-earlier', 49],
    ]);
  });

  it('should judge a guest whose zone the runtime does not know on the UTC date, warn once, and score everyone else', async () => {
    const warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    // Two segments with models of their own: the unknown zone is met under both.
    const models = ['leisure', 'business'].map((segment, i) => ({ ...MONTHLY_MODEL, id: i + 2, segment }));
    const alerts = await dropped(
      [
        guest('newer-zone', '2031-01-10', ZONE_OF_A_NEWER_TZ_RELEASE),
        guest('newer-zone-business', '2031-01-10', ZONE_OF_A_NEWER_TZ_RELEASE, 'business'),
        guest('amsterdam', '2031-01-10', 'Europe/Amsterdam'),
        guest('los-angeles-earlier', '2031-01-09', 'America/Los_Angeles', 'business'),
      ],
      SCAN,
      models,
    );
    // The 28th in UTC, 49 days after the last stay.
    expect(alerts.map(({ guestId, evidence }) => [guestId, evidence.daysSinceLastStay])).toEqual([
      ['newer-zone', 49],
      ['amsterdam', 49],
      ['newer-zone-business', 49],
      ['los-angeles-earlier', 49],
    ]);
    expect(warnings).toHaveBeenCalledTimes(1);
    expect(warnings.mock.calls[0][0]).toContain(ZONE_OF_A_NEWER_TZ_RELEASE);
  });

  it('should alert no guest whose objection to profiling committed after the guests were read', async () => {
    const [objecting, watched] = [
      guest('objecting', '2031-01-10', 'UTC'),
      guest('watched', '2031-01-10', 'UTC'),
    ];
    const alerts = await dropped([objecting, watched], SCAN, [MONTHLY_MODEL], ['objecting']);
    expect(alerts.map(({ guestId }) => guestId)).toEqual(['watched']);
  });
});
