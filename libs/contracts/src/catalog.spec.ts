import {
  EVENT_TYPES,
  eventCatalog,
  eventTypesConsumedBy,
  eventTypesProducedBy,
  isEventType,
  SERVICE_NAMES,
} from './index';

// The design guide's catalogue (shared/design/EVENTS.md), by producer, and what was added since:
// complaint-reopened, once a complaint closed without the guest's answer could be reopened;
// complaint-reclassified, once staff could correct a complaint's severity or category.
const DESIGNED = {
  upstream: ['reservation-created', 'reservation-cancelled', 'stay-completed', 'stay-adjusted'],
  profiles: ['guest-registered', 'guest-updated', 'guest-merged', 'guest-erased', 'stay-recorded'],
  'points-ledger': [
    'points-earned',
    'points-redeemed',
    'points-expired',
    'points-expiring-soon',
    'points-adjusted',
    'points-reversed',
    'tier-changed',
  ],
  surveys: ['survey-invited', 'survey-completed', 'detractor-identified'],
  complaints: [
    'complaint-opened',
    'complaint-acknowledged',
    'complaint-escalated',
    'complaint-resolved',
    'complaint-closed',
    'complaint-reopened',
    'complaint-reclassified',
    'compensation-granted',
  ],
  'churn-watcher': ['visit-frequency-dropped', 'visit-frequency-restored'],
} as const;

describe('eventCatalog', () => {
  it.each(Object.entries(DESIGNED))(
    'should declare every event %s produces in the design',
    (producer, types) => {
      expect(eventTypesProducedBy(producer as keyof typeof DESIGNED).sort()).toEqual([...types].sort());
    },
  );

  it('should declare no event beyond the design', () => {
    expect(EVENT_TYPES).toHaveLength(Object.values(DESIGNED).flat().length);
  });

  it.each(EVENT_TYPES)('should declare %s consistently', (type) => {
    const declaration = eventCatalog[type];

    expect(Object.keys(declaration.versions)).toContain(declaration.currentVersion);
    expect(declaration.topic.partitions).toBeGreaterThan(0);
    expect(declaration.topic.retentionMs).toBeGreaterThan(0);
    expect(declaration.consumers.every((consumer) => consumer !== declaration.owner)).toBe(true);
    expect(declaration.key.by).toBe(declaration.owner === 'upstream' ? 'reservation' : 'subject');
  });

  it('should keep personal data briefly when a topic carries it', () => {
    const week = 7 * 86_400_000;

    expect(eventCatalog['stay-completed'].topic.retentionMs).toBe(week);
    expect(eventCatalog['reservation-created'].topic.retentionMs).toBe(week);
  });

  it('should list what a service consumes when asked by service name', () => {
    expect(eventTypesConsumedBy('points-ledger').sort()).toEqual(
      ['compensation-granted', 'guest-erased', 'guest-merged', 'stay-adjusted', 'stay-recorded'].sort(),
    );
  });

  it("should have the churn watch hear profiles' news of a guest, which says whether they object to profiling", () => {
    expect(eventCatalog['guest-registered'].consumers).toContain('churn-watcher');
    expect(eventCatalog['guest-updated'].consumers).toContain('churn-watcher');
  });

  it('should give every service something to consume', () => {
    expect(SERVICE_NAMES.filter((service) => eventTypesConsumedBy(service).length === 0)).toEqual([]);
  });

  it('should tell event types from other strings', () => {
    expect(isEventType('tier-changed')).toBe(true);
    expect(isEventType('toString')).toBe(false);
    expect(isEventType(undefined)).toBe(false);
  });
});
