import { Module } from '@nestjs/common';
import { PostgresTimeZones } from '@loyalty/persistence';
import { Clock } from '@loyalty/platform';
import { AnswerService } from './answers/answer.service';
import { SurveyController } from './answers/survey.controller';
import { GuestsConsumer } from './guests/guests.consumer';
import { InsightController } from './insight/insight.controller';
import { InsightService } from './insight/insight.service';
import { InvitationList } from './invitations/invitation-list';
import { InvitationPlanner } from './invitations/invitation-planner';
import { InvitationScheduler } from './invitations/invitation-scheduler';
import { InvitationSender } from './invitations/invitation-sender';
import { InvitationsConsumer } from './invitations/invitations.consumer';
import { InvitationsController } from './invitations/invitations.controller';
import { SkippedInvitationsRepair } from './invitations/skipped-invitations-repair';
import { StayAdjustments } from './invitations/stay-adjustments';
import { SettingsController } from './settings/settings.controller';

@Module({
  controllers: [
    InvitationsConsumer,
    GuestsConsumer,
    SurveyController,
    InvitationsController,
    InsightController,
    SettingsController,
  ],
  providers: [
    Clock,
    InvitationList,
    InvitationPlanner,
    InvitationSender,
    InvitationScheduler,
    StayAdjustments,
    SkippedInvitationsRepair,
    AnswerService,
    InsightService,
    PostgresTimeZones,
  ],
})
export class SurveysModule {}
