import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { classifyNps, type EventData, type EventType } from '@loyalty/contracts';
import { EventPublisher } from '@loyalty/messaging';
import { Clock } from '@loyalty/platform';
import { localDateOf } from '@loyalty/time';
import { SurveysConfig } from '../config/surveys.config';
import { validateAnswers } from '../domain/answer-validation';
import { bucketOf, emptyBucket } from '../domain/survey-bucket';
import { localise } from '../domain/templates';
import { GuestDirectory } from '../guests/guest-directory';
import { AggregateStore } from '../insight/aggregate-store';
import { TemplateStore } from '../settings/template-store';
import { SurveysError, SurveysErrorCode } from '../surveys-error';
import { announceAnswer } from './answer-announcements';
import { openInvitation, type OpenInvitation } from './invitation-lookup';

export interface AnswerReceipt {
  surveyId: string;
  classification: EventData<'survey-completed'>['classification'] | null;
}

/**
 * Guests answering through the public link. One transaction per answer: the invitation is marked
 * answered, the answer stored, its increment added to the day's aggregates, and the events put in the
 * outbox, so an answer is counted exactly when it is announced.
 */
@Injectable()
export class AnswerService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly config: SurveysConfig,
    private readonly clock: Clock,
  ) {}

  /** The survey in the guest's language, for the page behind the link. */
  async survey(token: string) {
    const invitation = await openInvitation(
      this.dataSource.manager,
      token,
      this.config.SURVEYS_TOKEN_SECRET,
      this.clock.now(),
      false,
    );
    const template = await templateOf(this.dataSource.manager, invitation);
    return {
      surveyId: invitation.survey_id,
      expiresAt: invitation.expires_at,
      ...localise(template, invitation.language),
    };
  }

  async answer(token: string, body: unknown): Promise<AnswerReceipt> {
    const answers = (body as { answers?: unknown } | null)?.answers;
    if (typeof answers !== 'object' || answers === null || Array.isArray(answers))
      throw new SurveysError(SurveysErrorCode.SURVEY_ANSWERS_INVALID, 'the answers are not valid', {
        errors: [{ question: 'answers', reason: 'must be an object of answers keyed by question id' }],
      });
    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const invitation = await openInvitation(manager, token, this.config.SURVEYS_TOKEN_SECRET, now, true);
      const result = validateAnswers(
        await templateOf(manager, invitation),
        answers as Record<string, unknown>,
      );
      if ('errors' in result)
        throw new SurveysError(SurveysErrorCode.SURVEY_ANSWERS_INVALID, 'the answers are not valid', {
          errors: result.errors,
        });
      const { answer } = result;
      const guestId =
        (await GuestDirectory.load(manager, [invitation.guest_id])).get(invitation.guest_id)?.guestId ??
        invitation.guest_id;
      const day = localDateOf(now, invitation.time_zone);
      await manager.query(
        `update invitations set state = 'answered', answered_at = $2 where survey_id = $1`,
        [invitation.survey_id, now],
      );
      await manager.query(
        `insert into answers (survey_id, guest_id, property_id, local_day, nps, csat, scores, comment, completed_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          invitation.survey_id,
          guestId,
          invitation.property_id,
          day,
          answer.nps ?? null,
          answer.csat ?? null,
          JSON.stringify({ quality: answer.quality, departments: answer.departments }),
          answer.comment || null,
          now,
        ],
      );
      // The scores count on the day of the answer, the response against the day the invitation went out,
      // so a period's response rate is of the invitations sent in it: the day the sender counted it on,
      // whatever the property's zone says now.
      const sentDay = invitation.sent_day ?? localDateOf(invitation.invited_at, invitation.time_zone);
      const answered = { propertyId: invitation.property_id, day, invited: 0, bucket: bucketOf(answer) };
      await AggregateStore.add(
        manager,
        sentDay === day
          ? [{ ...answered, invitedAnswered: 1 }]
          : [answered, { ...answered, day: sentDay, invitedAnswered: 1, bucket: emptyBucket() }],
      );
      const publish = async <T extends EventType>(type: T, data: EventData<T>) => {
        await this.publisher.publish(manager, type, data, {
          subject: guestId,
          propertyId: invitation.property_id,
        });
      };
      await announceAnswer(publish, invitation, guestId, answer, now);
      return {
        surveyId: invitation.survey_id,
        classification: answer.nps === undefined ? null : classifyNps(answer.nps),
      };
    });
  }
}

/**
 * The template version the invitation was sent with, read on the caller's connection: an answer's
 * transaction holds one already, and a second per answer would run the pool dry in a burst of answers.
 */
async function templateOf(manager: EntityManager, invitation: OpenInvitation) {
  const template = await TemplateStore.version(manager, invitation.template_id, invitation.template_version);
  if (!template)
    throw new Error(`template ${invitation.template_id} v${invitation.template_version} is missing`);
  return template;
}
