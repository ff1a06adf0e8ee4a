import { guestEvent } from '../../catalog/event-declaration';
import { STANDARD_TOPIC } from '../../catalog/topic-policies';
import { DetractorIdentifiedV1 } from './detractor-identified.v1';
import { SurveyCompletedV1 } from './survey-completed.v1';
import { SurveyInvitedV1 } from './survey-invited.v1';

const survey = {
  owner: 'surveys',
  currentVersion: '1',
  subjectField: 'guestId',
  topic: STANDARD_TOPIC,
} as const;

export const surveysEvents = {
  'survey-invited': guestEvent({
    ...survey,
    summary: 'A guest was invited to a post-stay survey.',
    consumers: [],
    versions: { '1': SurveyInvitedV1 },
  }),
  'survey-completed': guestEvent({
    ...survey,
    summary: 'A guest answered a post-stay survey.',
    consumers: ['profiles', 'churn-watcher'],
    versions: { '1': SurveyCompletedV1 },
  }),
  'detractor-identified': guestEvent({
    ...survey,
    summary: 'A survey answer made the guest a detractor; service recovery should follow.',
    consumers: ['complaints'],
    versions: { '1': DetractorIdentifiedV1 },
  }),
};
