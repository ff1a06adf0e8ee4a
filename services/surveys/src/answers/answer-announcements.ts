import type { EventData, EventType } from '@loyalty/contracts';
import { classifyNps } from '@loyalty/contracts';
import type { ScoredAnswer } from '../domain/answer-validation';
import { recoveryTrigger, stayAspectScores } from '../domain/recovery';
import { stayReferenceOf } from '../invitations/invitation-row';
import type { OpenInvitation } from './invitation-lookup';

export type Publish = <T extends EventType>(type: T, data: EventData<T>) => Promise<void>;

/** Lowest-scored aspects sent with a detractor, so recovery starts where it hurt most. */
const LOWEST_ASPECTS = 3;

/** `survey-completed` for every answer; `detractor-identified` too when the answer needs recovery. */
export async function announceAnswer(
  publish: Publish,
  invitation: OpenInvitation,
  guestId: string,
  answer: ScoredAnswer,
  completedAt: Date,
): Promise<void> {
  const fields = {
    guestId,
    surveyId: invitation.survey_id,
    stay: stayReferenceOf(invitation),
  };
  const aspects = stayAspectScores(answer);
  const npsFields = answer.nps === undefined ? {} : { nps: answer.nps };
  const csatFields = answer.csat === undefined ? {} : { csat: answer.csat };
  const quality = Object.entries(answer.quality).map(([dimension, score]) => ({ dimension, score }));
  await publish('survey-completed', {
    ...fields,
    completedAt: completedAt.toISOString(),
    ...npsFields,
    ...csatFields,
    dimensions: aspects,
    ...(quality.length > 0
      ? { serviceQuality: quality as EventData<'survey-completed'>['serviceQuality'] }
      : {}),
    ...(answer.nps === undefined ? {} : { classification: classifyNps(answer.nps) }),
    hasComment: Boolean(answer.comment),
  });
  const trigger = recoveryTrigger(answer);
  if (!trigger) return;
  await publish('detractor-identified', {
    ...fields,
    ...npsFields,
    ...csatFields,
    trigger,
    lowestDimensions: aspects.slice(0, LOWEST_ASPECTS),
    identifiedAt: completedAt.toISOString(),
  });
}
