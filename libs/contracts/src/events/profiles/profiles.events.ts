import { guestEvent } from '../../catalog/event-declaration';
import { IDENTITY_TOPIC, STANDARD_TOPIC } from '../../catalog/topic-policies';
import { GuestErasedV1 } from './guest-erased.v1';
import { GuestMergedV1 } from './guest-merged.v1';
import { GuestRegisteredV1 } from './guest-registered.v1';
import { GuestUpdatedV1 } from './guest-updated.v1';
import { StayRecordedV1 } from './stay-recorded.v1';

export const profilesEvents = {
  'guest-registered': guestEvent({
    summary: 'A guest profile was created.',
    owner: 'profiles',
    consumers: ['surveys', 'churn-watcher'],
    versions: { '1': GuestRegisteredV1 },
    currentVersion: '1',
    subjectField: 'guestId',
    topic: STANDARD_TOPIC,
  }),
  'guest-updated': guestEvent({
    summary: 'Attributes of a guest profile changed.',
    owner: 'profiles',
    consumers: ['surveys', 'churn-watcher'],
    versions: { '1': GuestUpdatedV1 },
    currentVersion: '1',
    subjectField: 'guestId',
    topic: STANDARD_TOPIC,
  }),
  'guest-merged': guestEvent({
    summary: 'Two profiles were found to be one guest; the merged id folds into the survivor.',
    owner: 'profiles',
    consumers: ['points-ledger', 'surveys', 'complaints', 'churn-watcher'],
    versions: { '1': GuestMergedV1 },
    currentVersion: '1',
    subjectField: 'survivorId',
    topic: IDENTITY_TOPIC,
  }),
  'guest-erased': guestEvent({
    summary: "A guest's personal data was erased; every service pseudonymises what it holds.",
    owner: 'profiles',
    consumers: ['points-ledger', 'surveys', 'complaints', 'churn-watcher'],
    versions: { '1': GuestErasedV1 },
    currentVersion: '1',
    subjectField: 'guestId',
    topic: IDENTITY_TOPIC,
  }),
  'stay-recorded': guestEvent({
    summary: 'A completed stay was resolved to a guest profile: the canonical stay.',
    owner: 'profiles',
    consumers: ['points-ledger', 'surveys', 'complaints', 'churn-watcher'],
    versions: { '1': StayRecordedV1 },
    currentVersion: '1',
    subjectField: 'guestId',
    topic: STANDARD_TOPIC,
  }),
};
