import { BATCHING_FETCH, HOT_PATH_FETCH, withFetchMinBytes } from './messaging.module';
import type { EventTransportSettings } from './consumer/event-transport';

describe('withFetchMinBytes', () => {
  const settings = {
    groupId: 'surveys',
    fetch: BATCHING_FETCH,
    lanes: [{ types: ['stay-recorded'] }, { types: ['guest-registered'], fetch: HOT_PATH_FETCH }],
  } as unknown as EventTransportSettings;

  it('should leave every fetch as each consumer is tuned when no minimum is set', () => {
    expect(withFetchMinBytes(settings, undefined)).toBe(settings);
  });

  it('should return every fetch, the lanes’ own included, at the minimum, keeping how long each waits', () => {
    const changed = withFetchMinBytes(settings, 1);
    expect(changed.fetch).toEqual({ minBytes: 1, maxWaitMs: BATCHING_FETCH.maxWaitMs });
    expect(changed.lanes).toEqual([
      { types: ['stay-recorded'] },
      { types: ['guest-registered'], fetch: { minBytes: 1, maxWaitMs: HOT_PATH_FETCH.maxWaitMs } },
    ]);
    expect(changed.groupId).toBe('surveys');
    expect(settings.fetch).toBe(BATCHING_FETCH);
  });
});
