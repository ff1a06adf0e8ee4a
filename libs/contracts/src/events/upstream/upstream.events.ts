import { bookingEvent } from '../../catalog/event-declaration';
import { PERSONAL_DATA_TOPIC, STANDARD_TOPIC } from '../../catalog/topic-policies';
import { ReservationCancelledV1 } from './reservation-cancelled.v1';
import { ReservationCreatedV1 } from './reservation-created.v1';
import { StayAdjustedV1 } from './stay-adjusted.v1';
import { StayAdjustedV2 } from './stay-adjusted.v2';
import { StayCompletedV1 } from './stay-completed.v1';

/** Booking events from property-management and reservation systems. */
export const upstreamEvents = {
  'reservation-created': bookingEvent({
    summary: 'A property or central reservation system took a new reservation.',
    owner: 'upstream',
    consumers: ['profiles'],
    versions: { '1': ReservationCreatedV1 },
    currentVersion: '1',
    topic: PERSONAL_DATA_TOPIC,
  }),
  'reservation-cancelled': bookingEvent({
    summary: 'A reservation was cancelled before the stay.',
    owner: 'upstream',
    consumers: ['profiles'],
    versions: { '1': ReservationCancelledV1 },
    currentVersion: '1',
    topic: STANDARD_TOPIC,
  }),
  'stay-completed': bookingEvent({
    summary: 'A guest checked out; the stay as the property-management system closed it.',
    owner: 'upstream',
    consumers: ['profiles'],
    versions: { '1': StayCompletedV1 },
    currentVersion: '1',
    topic: PERSONAL_DATA_TOPIC,
  }),
  'stay-adjusted': bookingEvent({
    summary:
      'The revenue of a completed stay changed after check-out (refund, correction, late charge), and from v2 its nights.',
    owner: 'upstream',
    consumers: ['points-ledger', 'profiles', 'churn-watcher', 'surveys'],
    versions: { '1': StayAdjustedV1, '2': StayAdjustedV2 },
    currentVersion: '2',
    topic: STANDARD_TOPIC,
  }),
};
