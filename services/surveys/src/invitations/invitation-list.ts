import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SurveysConfig } from '../config/surveys.config';
import { signSurveyToken } from '../domain/survey-token';

export interface InvitationFilter {
  state: 'scheduled' | 'sent' | 'skipped' | 'answered';
  properties: string[] | 'all';
  limit: number;
  /** Whether each invitation comes with the link the guest gets (see `InvitationsController`). */
  withLinks: boolean;
}

/** Invitations for operators and local use, newest first, with the guest's link when asked for. */
@Injectable()
export class InvitationList {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: SurveysConfig,
  ) {}

  async list(filter: InvitationFilter) {
    const rows: (Record<string, unknown> & { surveyId: string; expiresAt: Date | null })[] =
      await this.dataSource.query(
        `select survey_id as "surveyId", guest_id as "guestId", property_id as "propertyId",
                reservation_id as "reservationId", state, skip_reason as "skipReason", channel, language,
                due_at as "dueAt", invited_at as "invitedAt", expires_at as "expiresAt", answered_at as "answeredAt"
         from invitations where state = $1 and ($2::text[] is null or property_id = any($2))
         order by coalesce(invited_at, due_at) desc limit $3`,
        [filter.state, filter.properties === 'all' ? null : filter.properties, filter.limit],
      );
    if (!filter.withLinks) return rows;
    return rows.map((row) => ({ ...row, link: this.linkOf(row) }));
  }

  // The token is a pure function of the survey, its expiry and the secret: signed again, not stored.
  private linkOf(row: { surveyId: string; expiresAt: Date | null }): string | null {
    if (!row.expiresAt) return null;
    return (
      this.config.SURVEYS_LINK_BASE_URL +
      signSurveyToken({ surveyId: row.surveyId, expiresAt: row.expiresAt }, this.config.SURVEYS_TOKEN_SECRET)
    );
  }
}
