import { guestEvent } from '../../catalog/event-declaration';
import { STANDARD_TOPIC } from '../../catalog/topic-policies';
import { VisitFrequencyDroppedV1 } from './visit-frequency-dropped.v1';
import { VisitFrequencyRestoredV1 } from './visit-frequency-restored.v1';

const churn = {
  owner: 'churn-watcher',
  currentVersion: '1',
  subjectField: 'guestId',
  topic: STANDARD_TOPIC,
} as const;

export const churnWatcherEvents = {
  'visit-frequency-dropped': guestEvent({
    ...churn,
    summary: 'A guest stays less often than their own pattern predicts.',
    consumers: [],
    versions: { '1': VisitFrequencyDroppedV1 },
  }),
  'visit-frequency-restored': guestEvent({
    ...churn,
    summary: 'A guest flagged as lapsing stayed again.',
    consumers: [],
    versions: { '1': VisitFrequencyRestoredV1 },
  }),
};
