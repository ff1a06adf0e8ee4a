import { Instant, LaterThan, OneOf } from '../../common/decorators';
import { SurveyFields } from './survey.fields';

export const SURVEY_CHANNELS = ['email', 'sms', 'app'] as const;

/** A guest was invited to a post-stay survey. Contact details stay in profiles. */
export class SurveyInvitedV1 extends SurveyFields {
  /** How the invitation was sent. */
  @OneOf(SURVEY_CHANNELS)
  channel: (typeof SURVEY_CHANNELS)[number];

  /** When the invitation was sent. */
  @Instant()
  invitedAt: string;

  /** When the survey link's token stops working. */
  @Instant()
  @LaterThan('invitedAt', 'instant')
  expiresAt: string;
}
