import {
  deadLetterTopicName,
  DEAD_LETTER_HEADERS,
  eventTypeOfTopic,
  TIERS,
  type EventType,
} from '@loyalty/contracts';
import {
  COMPLAINT_SUMMARY_TYPES,
  ComplaintTally,
  renderComplaints,
  type ComplaintsByCategory,
} from './complaint-summary';
import {
  CHURN_SUMMARY_TYPES,
  ChurnTally,
  renderChurn,
  type ChurnAlerts,
  type ChurnSection,
} from './churn-summary';
import { eventTopics } from './event-log';
import { NPS_SUMMARY_TYPES, NpsTally, renderNps, type NpsByProperty } from './nps-summary';

/** One record of the event log, as the summary reads it. */
export interface LoggedEvent {
  topic: string;
  headers: Record<string, string>;
  value: unknown;
}

export interface ChainSummary {
  staysPerProperty: Record<string, number>;
  membersPerTier: Record<string, number>;
  points: { issued: number; redeemed: number; expired: number };
  deadLetters: { topic: string; reason: string; count: number }[];
  complaints: ComplaintsByCategory;
  churn: ChurnAlerts;
  npsByProperty: NpsByProperty;
}

interface Envelope {
  type: EventType;
  subject?: string;
  data: Record<string, unknown>;
}

/** How the dead-letter table names stays the HTTP ingress refused: they never reach a `.dlq` topic. */
const REJECTED_AT_INGRESS = 'stay-completed (rejected at ingress)';

/**
 * What a hotel-chain manager wants to see after a run, derived from the services' own events (their
 * public contract), not from their databases: stays per property, members per tier, points issued,
 * redeemed and expired, and dead letters by reason, with the stays the ingress rejected (by code).
 */
export function summarise(
  events: Iterable<LoggedEvent>,
  topicPrefix = '',
  rejectedAtIngress: ReadonlyMap<string, number> = new Map(),
): ChainSummary {
  const summary: ChainSummary = {
    staysPerProperty: {},
    membersPerTier: {},
    points: { issued: 0, redeemed: 0, expired: 0 },
    deadLetters: [],
    complaints: {},
    churn: { raised: 0, restored: 0, alertedGuests: [], openAlerts: [], mergedInto: {} },
    npsByProperty: {},
  };
  const complaints = new ComplaintTally();
  const churn = new ChurnTally();
  const nps = new NpsTally();
  const tierOf = new Map<string, string>();
  const deadLetters = new Map<string, { topic: string; reason: string; count: number }>();
  for (const event of events) {
    if (event.topic.endsWith('.dlq')) {
      const topic = event.topic.slice(topicPrefix.length, -'.dlq'.length);
      const reason = event.headers[DEAD_LETTER_HEADERS.reason] ?? 'unknown';
      const key = `${topic}\u0000${reason}`;
      const entry = deadLetters.get(key) ?? { topic, reason, count: 0 };
      entry.count++;
      deadLetters.set(key, entry);
      continue;
    }
    const type = eventTypeOfTopic(event.topic, topicPrefix);
    const envelope = event.value as Envelope;
    const data = envelope?.data ?? {};
    if (type === 'stay-recorded') {
      const property = String(data.propertyId);
      summary.staysPerProperty[property] = (summary.staysPerProperty[property] ?? 0) + 1;
      if (envelope.subject && !tierOf.has(envelope.subject)) tierOf.set(envelope.subject, 'member');
    } else if (type === 'points-earned') {
      summary.points.issued += Number(data.points ?? 0);
    } else if (type === 'points-redeemed') {
      summary.points.redeemed += Number(data.points ?? 0);
    } else if (type === 'points-expired') {
      summary.points.expired += Number(data.points ?? 0);
    } else if (type === 'tier-changed' && envelope.subject) {
      tierOf.set(envelope.subject, String(data.to));
    } else if (type && COMPLAINT_SUMMARY_TYPES.includes(type)) {
      complaints.add(type, data);
    } else if (type && CHURN_SUMMARY_TYPES.includes(type)) {
      churn.add(type, data);
    } else if (type && NPS_SUMMARY_TYPES.includes(type)) {
      nps.add(type, data);
    }
  }
  for (const tier of tierOf.values()) summary.membersPerTier[tier] = (summary.membersPerTier[tier] ?? 0) + 1;
  const rejected = [...rejectedAtIngress].map(([code, count]) => ({
    topic: REJECTED_AT_INGRESS,
    reason: code,
    count,
  }));
  // Ties by topic and reason, not by the order the partitions happened to be read in: the same run
  // prints the same table.
  summary.deadLetters = [...deadLetters.values(), ...rejected].sort(
    (a, b) => b.count - a.count || a.topic.localeCompare(b.topic) || a.reason.localeCompare(b.reason),
  );
  summary.complaints = complaints.byCategory();
  summary.churn = churn.alerts();
  summary.npsByProperty = nps.byProperty();
  return summary;
}

/**
 * Every tier of the programme lowest first, as a manager reads the ladder, an empty tier as 0; a tier
 * the contract does not know (the log is read unvalidated) after them.
 */
function membersUpTheLadder(membersPerTier: Record<string, number>): [string, number][] {
  const ladder: readonly string[] = TIERS;
  const unknown = Object.keys(membersPerTier)
    .filter((tier) => !ladder.includes(tier))
    .sort();
  return [...ladder, ...unknown].map((tier) => [tier, membersPerTier[tier] ?? 0]);
}

/**
 * The topics the summary reads: those it tallies, and the dead letters of every event topic, as any service's
 * consumer can dead-letter (a detractor's answer complaints could not take, a registration surveys could not).
 */
export function summaryTopics(topicPrefix = ''): string[] {
  const types: EventType[] = [
    'stay-completed',
    'stay-recorded',
    'points-earned',
    'points-redeemed',
    'points-expired',
    'tier-changed',
    ...COMPLAINT_SUMMARY_TYPES,
    ...CHURN_SUMMARY_TYPES,
    ...NPS_SUMMARY_TYPES,
  ];
  return [
    ...types.map((type) => `${topicPrefix}${type}`),
    ...eventTopics(topicPrefix).map(deadLetterTopicName),
  ];
}

export function renderSummary(summary: ChainSummary, churn?: ChurnSection): string {
  const lines: string[] = [];
  const table = (title: string, rows: [string, string | number][]) => {
    lines.push('', title);
    const width = Math.max(10, ...rows.map(([label]) => label.length));
    for (const [label, value] of rows) lines.push(`  ${label.padEnd(width)}  ${String(value).padStart(10)}`);
    if (rows.length === 0) lines.push('  (none)');
  };
  table('Stays recorded per property', Object.entries(summary.staysPerProperty).sort());
  table('Members per tier', membersUpTheLadder(summary.membersPerTier));
  table('Points', [
    ['issued', summary.points.issued.toLocaleString('en-US')],
    ['redeemed', summary.points.redeemed.toLocaleString('en-US')],
    ['expired', summary.points.expired.toLocaleString('en-US')],
  ]);
  table(
    'Dead-lettered events by reason',
    summary.deadLetters.map((d) => [`${d.topic}: ${d.reason}`, d.count]),
  );
  lines.push(...renderComplaints(summary.complaints));
  lines.push(...renderNps(summary.npsByProperty));
  if (churn) lines.push(...renderChurn(churn));
  return lines.join('\n');
}
