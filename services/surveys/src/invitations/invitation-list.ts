import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { pageOf, type Page } from '@loyalty/platform';
import { SurveysConfig } from '../config/surveys.config';
import { signSurveyToken } from '../domain/survey-token';
import type { InvitationPosition } from './invitation-cursor';

export interface InvitationFilter {
  state: 'scheduled' | 'sent' | 'skipped' | 'answered';
  properties: string[] | 'all';
  limit: number;
  /** The end of the previous page; null for the first. */
  after: InvitationPosition | null;
  /** Whether each invitation comes with the link the guest gets (see `InvitationsController`). */
  withLinks: boolean;
}

type InvitationRow = Record<string, unknown> & { surveyId: string; expiresAt: Date | null };

/** A page of invitations and the cursor of the next one (null on the last). */
export type InvitationPage = Page<InvitationRow & { link?: string | null }>;

/**
 * A page of invitations in one state ($1) of some properties ($2, null for all) after a position ($3, $4;
 * null for the first page), $5 rows.
 */
export const INVITATION_PAGE_SQL = `select survey_id as "surveyId", guest_id as "guestId", property_id as "propertyId",
         reservation_id as "reservationId", state, skip_reason as "skipReason", channel, language,
         due_at as "dueAt", invited_at as "invitedAt", expires_at as "expiresAt", answered_at as "answeredAt",
         to_char(coalesce(invited_at, due_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "sortedAt"
  from invitations where state = $1 and ($2::text[] is null or property_id = any($2))
    and ($3::timestamptz is null or (coalesce(invited_at, due_at), survey_id) < ($3, $4::uuid))
  order by coalesce(invited_at, due_at) desc, survey_id desc limit $5`;

/**
 * Invitations for operators and local use, newest first, with the guest's link when asked for. Paged by
 * keyset on (instant, survey id), so a page does not shift when invitations are sent meanwhile (they come
 * before the first page) and invitations of the same instant are neither repeated nor skipped.
 */
@Injectable()
export class InvitationList {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: SurveysConfig,
  ) {}

  async list(filter: InvitationFilter): Promise<InvitationPage> {
    const rows: (InvitationRow & { sortedAt: string })[] = await this.dataSource.query(INVITATION_PAGE_SQL, [
      filter.state,
      filter.properties === 'all' ? null : filter.properties,
      filter.after?.sortedAt ?? null,
      filter.after?.surveyId ?? null,
      // One more than the page: whether there is a next one.
      filter.limit + 1,
    ]);
    const { items: page, nextCursor } = pageOf(rows, filter.limit, (row) => [row.sortedAt, row.surveyId]);
    const items = page.map(({ sortedAt: _sortedAt, ...row }) => row);
    if (!filter.withLinks) return { items, nextCursor };
    return { items: items.map((row) => ({ ...row, link: this.linkOf(row) })), nextCursor };
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
