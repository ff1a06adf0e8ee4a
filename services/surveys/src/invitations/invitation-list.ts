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

/** The columns the list shows, and the sort instant as Postgres keeps it (the first part of a cursor). */
const LISTED_COLUMNS = `survey_id as "surveyId", guest_id as "guestId", property_id as "propertyId",
         reservation_id as "reservationId", state, skip_reason as "skipReason", channel, language,
         due_at as "dueAt", invited_at as "invitedAt", expires_at as "expiresAt", answered_at as "answeredAt",
         to_char(coalesce(invited_at, due_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "sortedAt"`;

/** In one state ($1), after a position ($2, $3; null for the first page), newest first, $4 rows. */
const PAGE_IN_STATE = `state = $1
    and ($2::timestamptz is null or (coalesce(invited_at, due_at), survey_id) < ($2, $3::uuid))
  order by coalesce(invited_at, due_at) desc, survey_id desc limit $4`;

/** A page of the whole chain's invitations (see `PAGE_IN_STATE`), read in order from `invitations_listed`. */
export const CHAIN_INVITATION_PAGE_SQL = `select ${LISTED_COLUMNS} from invitations where ${PAGE_IN_STATE}`;

/**
 * A page of some properties' invitations ($5, each named once; see `PAGE_IN_STATE`). Postgres cannot merge
 * the ordered rows of several properties from an index: with `property_id = any($5)` it read
 * `invitations_listed` and passed over every other property's invitations in the state, all of them for a
 * property with less than a page. So each property's page is read in order from
 * `invitations_listed_by_property`, from the index alone; the newest of those make the page, and only its
 * rows are read from the table.
 */
export const PROPERTIES_INVITATION_PAGE_SQL = `select ${LISTED_COLUMNS} from (
    select survey_id from unnest($5::text[]) as scope (scoped_property_id)
      cross join lateral (
        select survey_id, coalesce(invited_at, due_at) as sorted_at from invitations
        where property_id = scoped_property_id and ${PAGE_IN_STATE}) as property_page
    order by sorted_at desc, survey_id desc limit $4) as page
  join invitations using (survey_id)
  order by coalesce(invited_at, due_at) desc, survey_id desc`;

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
    const pageParameters = [
      filter.state,
      filter.after?.sortedAt ?? null,
      filter.after?.surveyId ?? null,
      // One more than the page: whether there is a next one.
      filter.limit + 1,
    ];
    const rows: (InvitationRow & { sortedAt: string })[] =
      filter.properties === 'all'
        ? await this.dataSource.query(CHAIN_INVITATION_PAGE_SQL, pageParameters)
        : await this.dataSource.query(PROPERTIES_INVITATION_PAGE_SQL, [
            ...pageParameters,
            [...new Set(filter.properties)],
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
