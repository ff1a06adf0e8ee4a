import { Module } from '@nestjs/common';
import { BATCHING_FETCH } from '@loyalty/messaging';
import { ServicePlatformModule } from '@loyalty/platform';
import { SurveysConfig } from './config/surveys.config';
import { Surveys1760000004000 } from './migrations/1760000004000-surveys';
import { GuestsHeardOf1760000004100 } from './migrations/1760000004100-guests-heard-of';
import { InvitationsInListOrder1760000004200 } from './migrations/1760000004200-invitations-in-list-order';
import { InvitationsPlannedAt1760000004300 } from './migrations/1760000004300-invitations-planned-at';
import { GuestsBySurvivor1760000004400 } from './migrations/1760000004400-guests-by-survivor';
import { SkippedInvitationsUnderSurvivors1760000004500 } from './migrations/1760000004500-skipped-invitations-under-survivors';
import { GuestsMergedOrErased1760000004600 } from './migrations/1760000004600-guests-merged-or-erased';
import { StaysOfErasedGuests1760000004700 } from './migrations/1760000004700-stays-of-erased-guests';
import { AnswersByInvitationDay1760000004800 } from './migrations/1760000004800-answers-by-invitation-day';
import { StayNights1760000004900 } from './migrations/1760000004900-stay-nights';
import { GuestsConsentAsOf1760000005000 } from './migrations/1760000005000-guests-consent-as-of';
import { DailyAggregatesByDay1760000005100 } from './migrations/1760000005100-daily-aggregates-by-day';
import { InvitationsSentDay1760000005200 } from './migrations/1760000005200-invitations-sent-day';
import { InvitationsListedByProperty1760000005300 } from './migrations/1760000005300-invitations-listed-by-property';
import { SurveysModule } from './surveys.module';

/** In the order they run; a test of one runs those before it. */
export const SURVEYS_MIGRATIONS = [
  Surveys1760000004000,
  GuestsHeardOf1760000004100,
  InvitationsInListOrder1760000004200,
  InvitationsPlannedAt1760000004300,
  GuestsBySurvivor1760000004400,
  SkippedInvitationsUnderSurvivors1760000004500,
  GuestsMergedOrErased1760000004600,
  StaysOfErasedGuests1760000004700,
  AnswersByInvitationDay1760000004800,
  StayNights1760000004900,
  GuestsConsentAsOf1760000005000,
  DailyAggregatesByDay1760000005100,
  InvitationsSentDay1760000005200,
  InvitationsListedByProperty1760000005300,
] as const;

@Module({
  imports: [
    ServicePlatformModule.forService({
      service: 'surveys',
      config: SurveysConfig,
      entities: [],
      migrations: [...SURVEYS_MIGRATIONS],
      messaging: { transport: { fetch: BATCHING_FETCH } },
    }),
    SurveysModule,
  ],
})
export class AppModule {}
