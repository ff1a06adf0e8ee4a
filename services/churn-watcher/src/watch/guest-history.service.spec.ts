import type { EntityManager } from 'typeorm';
import { sampleEventData, type EventData, type EventType } from '@loyalty/contracts';
import { DEFAULT_RISK_LINE, summariseVisits } from '@loyalty/lifetime';
import type { GuestTombstones } from '@loyalty/persistence';
import type { EpisodeStore } from './episode-store';
import { GuestHistoryService } from './guest-history.service';
import type { ModelStore } from './model-store';
import type { NightsStore } from './nights-store';
import type { ProfilingConsentStore } from './profiling-consent-store';
import type { Publish } from './publish';
import type { SignalStore } from './signal-store';
import { LAPSE, LAPSED_GUEST } from './watch.fixtures';
import type { VisitStore } from './visit-store';

const NOW = new Date('2031-04-02T12:00:00Z');

function stay(stayId: string, departure: string): EventData<'stay-recorded'> {
  return sampleEventData('stay-recorded', { guestId: LAPSED_GUEST, stayId, departure });
}

/** Records the run of stays for the alerted guest; the `visit-frequency-restored` it publishes. */
async function restoredBy(
  run: EventData<'stay-recorded'>[],
): Promise<EventData<'visit-frequency-restored'>[]> {
  const restored: EventData<'visit-frequency-restored'>[] = [];
  const publish: Publish = async <T extends EventType>(type: T, data: EventData<T>) => {
    if (type === 'visit-frequency-restored') restored.push(data as EventData<'visit-frequency-restored'>);
  };
  const tombstones = { follow: async (_m: EntityManager, stays: unknown[]) => stays } as GuestTombstones;
  const summary = {
    guestId: LAPSED_GUEST,
    segment: 'leisure',
    timeZone: 'UTC',
    ...summariseVisits([22_000, 22_020]),
  };
  const visits = {
    addVisits: async () => new Map(run.map((recorded) => [recorded.stayId, LAPSED_GUEST])),
    refreshSummaries: async () => new Map([[LAPSED_GUEST, summary]]),
    // The stored visits as the run brought them: the first return must not depend on their order.
    visitsOf: async () => new Map([[LAPSED_GUEST, run]]),
  } as unknown as VisitStore;
  const nights = {
    lockForStays: async () => undefined,
    forgetUnvisited: async () => undefined,
  } as unknown as NightsStore;
  const episodes = {
    lockOpen: async () => new Map([[LAPSED_GUEST, LAPSE]]),
    close: async () => undefined,
  } as unknown as EpisodeStore;
  const models = { latest: async () => new Map() } as unknown as ModelStore;
  const history = new GuestHistoryService(
    visits,
    nights,
    episodes,
    {} as SignalStore,
    {} as ProfilingConsentStore,
    tombstones,
    models,
    DEFAULT_RISK_LINE,
  );
  await history.recordStays(
    {} as EntityManager,
    run.map((recorded) => ({ stay: recorded, publish })),
    NOW,
  );
  return restored;
}

describe('GuestHistoryService.recordStays', () => {
  it("should name the guest's first return when a run brings their later stay first", async () => {
    const later = stay('6f1c2b1e-0000-4000-8000-0000000000a2', '2031-04-01');
    const comeback = stay('6f1c2b1e-0000-4000-8000-0000000000a1', '2031-03-31');
    const restored = await restoredBy([later, comeback]);
    expect(restored.map((data) => data.stay)).toEqual([
      expect.objectContaining({ stayId: comeback.stayId, departure: '2031-03-31' }),
    ]);
  });
});
