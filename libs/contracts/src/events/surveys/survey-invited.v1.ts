import { Instant, LanguageTag, LaterThan, OneOf, Text } from '../../common/decorators';
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

  /** Single-use signed token the survey link carries; the public answer endpoint takes it. */
  @Text(1024)
  token: string;

  /** BCP-47 language the survey is in, chosen from the guest's preferred language. */
  @LanguageTag()
  language: string;
}
