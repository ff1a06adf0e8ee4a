import { createHash } from 'node:crypto';
import { buildEvent, type EventMeta } from '../build-event';
import { eventCatalog, type EventData, type EventEnvelope, type EventType } from '../catalog';
import { serviceSource } from '../envelope/cloud-event';

// Valid, deterministic payloads for every event type, for tests and the AsyncAPI examples. The
// mapped type makes a new event type without a sample a compile error.

/** A UUID derived from a seed: stable across runs, distinct per seed. */
export function deterministicUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const SAMPLE_IDS = {
  guestId: deterministicUuid('guest'),
  mergedGuestId: deterministicUuid('merged-guest'),
  stayId: deterministicUuid('stay'),
  transactionId: deterministicUuid('transaction'),
  surveyId: deterministicUuid('survey'),
  complaintId: deterministicUuid('complaint'),
  compensationId: deterministicUuid('compensation'),
  correlationId: deterministicUuid('correlation'),
  propertyId: 'AMS01',
  reservationId: 'R2025-000123',
} as const;

const { guestId, stayId, transactionId, surveyId, complaintId, propertyId, reservationId } = SAMPLE_IDS;

const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

const booking = {
  propertyId,
  reservationId,
  arrival: '2025-03-01',
  departure: '2025-03-04',
  timeZone: 'Europe/Amsterdam',
  roomType: 'DLX-K',
  ratePlan: 'BAR',
  channel: 'direct' as const,
  rooms: 1,
};

const completedStay = { ...booking, nights: 3, checkedOutAt: '2025-03-04T10:12:00Z' };

const guestIdentity = {
  externalProfileRef: 'OPERA-884211',
  givenName: 'Ada',
  familyName: 'Example',
  email: 'ada@example.com',
  phone: '+31201234567',
  loyaltyNumber: 'LX1234567',
  countryCode: 'NL',
  preferredLanguage: 'nl-NL',
};

const stayRevenue = { room: eur(54_000), foodAndBeverage: eur(8_550), other: eur(1_200) };

const stay = { stayId, propertyId, reservationId, arrival: booking.arrival, departure: booking.departure };

const ledgerEntry = { guestId, transactionId, occurredAt: '2025-03-04T10:15:00Z' };

const dimensions = [
  { dimension: 'cleanliness' as const, score: 2 },
  { dimension: 'staff' as const, score: 4 },
];

const SAMPLES: { [T in EventType]: EventData<T> } = {
  'reservation-created': { ...booking, guest: guestIdentity, bookedAt: '2025-01-15T18:03:00Z' },
  'reservation-cancelled': {
    propertyId,
    reservationId,
    cancelledAt: '2025-02-20T09:00:00Z',
    reason: 'guest-request',
  },
  'stay-completed': { ...completedStay, guest: guestIdentity, revenue: stayRevenue },
  'stay-adjusted': {
    propertyId,
    reservationId,
    adjustmentId: 'ADJ-5521',
    revenueDelta: { room: eur(-18_000), foodAndBeverage: eur(0), other: eur(0) },
    reason: 'refund',
    adjustedAt: '2025-03-06T14:00:00Z',
  },
  'guest-registered': {
    guestId,
    enrolledAt: '2025-01-15T18:05:00Z',
    enrolmentChannel: 'web',
    attributes: {
      loyaltyNumber: 'LX1234567',
      homePropertyId: propertyId,
      countryCode: 'NL',
      preferredLanguage: 'nl-NL',
    },
  },
  'guest-updated': {
    guestId,
    changes: { preferredLanguage: 'en-GB', marketingConsent: true },
    updatedAt: '2025-02-01T08:00:00Z',
  },
  'guest-merged': {
    survivorId: guestId,
    mergedId: SAMPLE_IDS.mergedGuestId,
    rule: 'same-loyalty-number',
    mergedAt: '2025-02-02T08:00:00Z',
  },
  'guest-erased': { guestId, erasedAt: '2025-06-01T00:00:00Z', reason: 'guest-request' },
  'stay-recorded': {
    ...completedStay,
    guestId,
    stayId,
    revenue: { property: stayRevenue, program: stayRevenue },
  },
  'points-earned': {
    ...ledgerEntry,
    points: 540,
    balanceAfter: 12_540,
    source: { kind: 'stay', reference: stayId, propertyId },
    expiresAt: '2027-03-04T00:00:00Z',
  },
  'points-redeemed': {
    ...ledgerEntry,
    points: 10_000,
    balanceAfter: 2_540,
    reward: { kind: 'free-night', reference: 'RWD-FN-STD' },
    propertyId,
  },
  'points-expired': { ...ledgerEntry, points: 300, balanceAfter: 2_240, reason: 'lot-expired' },
  'points-expiring-soon': { guestId, points: 300, expiresAt: '2025-04-01T00:00:00Z', balance: 2_540 },
  'points-adjusted': {
    ...ledgerEntry,
    pointsDelta: 250,
    balanceAfter: 2_790,
    reason: 'Missing points for stay in February',
    adjustedBy: 'staff-0042',
  },
  'points-reversed': {
    ...ledgerEntry,
    reversedTransactionId: deterministicUuid('earlier-transaction'),
    pointsDelta: -540,
    balanceAfter: 2_250,
    reason: 'stay-adjusted',
  },
  'tier-changed': {
    guestId,
    from: 'silver',
    to: 'gold',
    reason: 'qualified',
    validUntil: '2026-12-31T23:59:59Z',
    changedAt: '2025-03-04T10:15:00Z',
  },
  'survey-invited': {
    guestId,
    surveyId,
    stay,
    channel: 'email',
    invitedAt: '2025-03-05T09:00:00Z',
    expiresAt: '2025-03-19T09:00:00Z',
    token: 'v1.c2FtcGxlLXN1cnZleQ.c2lnbmF0dXJl',
    language: 'nl-NL',
  },
  'survey-completed': {
    guestId,
    surveyId,
    stay,
    completedAt: '2025-03-06T20:30:00Z',
    nps: 4,
    csat: 2,
    dimensions,
    serviceQuality: [{ dimension: 'responsiveness', score: 2 }],
    classification: 'detractor',
    hasComment: true,
  },
  'detractor-identified': {
    guestId,
    surveyId,
    stay,
    nps: 4,
    csat: 2,
    trigger: 'nps',
    lowestDimensions: [dimensions[0]],
    identifiedAt: '2025-03-06T20:30:01Z',
  },
  'complaint-opened': {
    guestId,
    complaintId,
    propertyId,
    stay,
    category: 'cleanliness',
    complaintCategory: 'cleanliness',
    severity: 'medium',
    channel: 'survey',
    surveyId,
    openedAt: '2025-03-06T20:31:00Z',
    sla: { acknowledgeBy: '2025-03-07T20:31:00Z', resolveBy: '2025-03-09T20:31:00Z' },
  },
  'complaint-acknowledged': {
    guestId,
    complaintId,
    acknowledgedAt: '2025-03-07T08:00:00Z',
    acknowledgedBy: 'staff-0042',
    withinSla: true,
  },
  'complaint-escalated': {
    guestId,
    complaintId,
    level: 1,
    reason: 'sla-breached',
    breachedTimer: 'resolution',
    notifyRole: 'property-manager',
    escalatedAt: '2025-03-09T20:31:00Z',
  },
  'complaint-resolved': {
    guestId,
    complaintId,
    resolution: 'compensation',
    resolvedBy: 'staff-0042',
    resolvedAt: '2025-03-10T11:00:00Z',
    withinSla: false,
  },
  'complaint-closed': {
    guestId,
    complaintId,
    outcome: 'resolved',
    guestSatisfied: true,
    satisfaction: 4,
    closedAt: '2025-03-12T11:00:00Z',
  },
  'complaint-reopened': {
    guestId,
    complaintId,
    from: 'resolved',
    reopenedBy: 'staff-0042',
    reopenedAt: '2025-03-11T09:00:00Z',
    resolveBy: '2025-03-14T09:00:00Z',
  },
  'complaint-reclassified': {
    guestId,
    complaintId,
    propertyId,
    from: { severity: 'medium', category: 'cleanliness', complaintCategory: 'cleanliness' },
    to: { severity: 'critical', category: 'cleanliness', complaintCategory: 'cleanliness' },
    reclassifiedBy: 'staff-0042',
    reclassifiedAt: '2025-03-06T20:51:00Z',
    resolveBy: '2025-03-07T00:31:00Z',
    acknowledgeBy: '2025-03-06T20:46:00Z',
  },
  'compensation-granted': {
    guestId,
    complaintId,
    compensationId: SAMPLE_IDS.compensationId,
    points: 2_000,
    approvedBy: 'staff-0007',
    grantedAt: '2025-03-10T11:00:00Z',
  },
  'visit-frequency-dropped': {
    guestId,
    riskLevel: 'high',
    evidence: {
      expectedIntervalDays: 41.5,
      daysSinceLastStay: 120,
      lastDeparture: '2025-03-04',
      probabilityAlive: 0.22,
      recentSignals: [{ kind: 'detractor', at: '2025-03-06T20:30:01Z', reference: surveyId }],
    },
    modelVersion: 'bg-nbd-2025.1',
    detectedAt: '2025-07-02T03:00:00Z',
  },
  'visit-frequency-restored': {
    guestId,
    stay: {
      ...stay,
      stayId: deterministicUuid('later-stay'),
      arrival: '2025-08-10',
      departure: '2025-08-12',
    },
    probabilityAlive: 0.81,
    restoredAt: '2025-08-12T11:00:00Z',
  },
};

/** A valid payload of `type` (a fresh copy: mutate it freely), with `overrides` applied on top. */
export function sampleEventData<T extends EventType>(
  type: T,
  overrides: Partial<EventData<T>> = {},
): EventData<T> {
  return { ...structuredClone(SAMPLES[type]), ...overrides };
}

/** A valid, deterministic event of `type` built with `buildEvent`; `meta` overrides the defaults. */
export function sampleEvent<T extends EventType>(type: T, meta: Partial<EventMeta> = {}): EventEnvelope<T> {
  const owner = eventCatalog[type].owner;
  return buildEvent(type, sampleEventData(type), {
    source: owner === 'upstream' ? 'pms/opera-ams01' : serviceSource(owner),
    id: deterministicUuid(`event:${type}`),
    time: new Date('2025-03-04T10:15:00Z'),
    correlationId: SAMPLE_IDS.correlationId,
    ...meta,
  });
}

/**
 * The sample event as a consumer receives it (a parsed copy), claiming `version` and with its payload
 * edited: to test the versions of a contract, older ones included.
 */
export function sampleEventAsVersion(
  type: EventType,
  version: string,
  data: Record<string, unknown> = {},
): Record<string, unknown> {
  const event = JSON.parse(JSON.stringify(sampleEvent(type))) as Record<string, unknown>;
  return { ...event, dataversion: version, data: { ...(event.data as object), ...data } };
}
