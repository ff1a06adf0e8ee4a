import { guestEvent } from '../../catalog/event-declaration';
import { STANDARD_TOPIC } from '../../catalog/topic-policies';
import { PointsAdjustedV1 } from './points-adjusted.v1';
import { PointsAdjustedV2 } from './points-adjusted.v2';
import { PointsEarnedV1 } from './points-earned.v1';
import { PointsExpiredV1 } from './points-expired.v1';
import { PointsExpiringSoonV1 } from './points-expiring-soon.v1';
import { PointsRedeemedV1 } from './points-redeemed.v1';
import { PointsReversedV1 } from './points-reversed.v1';
import { TierChangedV1 } from './tier-changed.v1';

const ledger = {
  owner: 'points-ledger',
  currentVersion: '1',
  subjectField: 'guestId',
  topic: STANDARD_TOPIC,
} as const;

export const pointsLedgerEvents = {
  'points-earned': guestEvent({
    ...ledger,
    summary: "Points were credited to a guest's balance.",
    consumers: ['profiles'],
    versions: { '1': PointsEarnedV1 },
  }),
  'points-redeemed': guestEvent({
    ...ledger,
    summary: 'A guest spent points on a reward.',
    consumers: ['profiles'],
    versions: { '1': PointsRedeemedV1 },
  }),
  'points-expired': guestEvent({
    ...ledger,
    summary: 'Points expired and were debited.',
    consumers: ['profiles'],
    versions: { '1': PointsExpiredV1 },
  }),
  'points-expiring-soon': guestEvent({
    ...ledger,
    summary: 'Points will expire soon unless the guest earns or redeems (a notice, not a ledger entry).',
    consumers: [],
    versions: { '1': PointsExpiringSoonV1 },
  }),
  'points-adjusted': guestEvent({
    ...ledger,
    currentVersion: '2',
    summary:
      "A guest's balance was adjusted by staff, by a complaint's compensation, or by a transfer between members.",
    consumers: ['profiles'],
    versions: { '1': PointsAdjustedV1, '2': PointsAdjustedV2 },
  }),
  'points-reversed': guestEvent({
    ...ledger,
    summary: 'An earlier transaction was undone, wholly or partly.',
    consumers: ['profiles'],
    versions: { '1': PointsReversedV1 },
  }),
  'tier-changed': guestEvent({
    ...ledger,
    summary: "A guest's tier changed.",
    consumers: ['profiles', 'churn-watcher', 'complaints'],
    versions: { '1': TierChangedV1 },
  }),
};
