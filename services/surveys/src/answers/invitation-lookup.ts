import type { EntityManager } from 'typeorm';
import { readSurveyToken } from '../domain/survey-token';
import type { InvitationStay } from '../invitations/invitation-row';
import { SurveysError, SurveysErrorCode } from '../surveys-error';

export interface OpenInvitation extends InvitationStay {
  language: string;
  template_id: string;
  template_version: number;
  invited_at: Date;
  expires_at: Date;
  time_zone: string;
  /** The local day it went out on, as the sender counted it; none on invitations sent before it was kept. */
  sent_day: string | null;
}

/**
 * The invitation a token opens, if it may still be answered: signed by us, sent, not answered, not
 * withdrawn by an erasure, not expired. `lock` holds the row until the transaction ends, so a token
 * submitted twice at once is answered once.
 */
export async function openInvitation(
  manager: EntityManager,
  token: string,
  secret: string,
  now: Date,
  lock: boolean,
): Promise<OpenInvitation> {
  const claims = readSurveyToken(token, secret);
  if (!claims) throw new SurveysError(SurveysErrorCode.SURVEY_TOKEN_INVALID, 'this survey link is not valid');
  const [row]: (OpenInvitation & { state: string; answered_at: Date | null })[] = await manager.query(
    `select i.*, to_char(i.arrival, 'YYYY-MM-DD') as arrival, to_char(i.departure, 'YYYY-MM-DD') as departure,
            to_char(i.sent_day, 'YYYY-MM-DD') as sent_day, p.time_zone
     from invitations i join survey_properties p using (property_id)
     where i.survey_id = $1 and i.state in ('sent', 'answered') ${lock ? 'for update of i' : ''}`,
    [claims.surveyId],
  );
  if (!row) throw new SurveysError(SurveysErrorCode.SURVEY_TOKEN_INVALID, 'this survey link is not valid');
  if (row.state === 'answered')
    throw new SurveysError(
      SurveysErrorCode.SURVEY_ALREADY_ANSWERED,
      `this survey was already answered at ${row.answered_at?.toISOString()}; a link works once`,
    );
  if (row.guest_id === null)
    throw new SurveysError(
      SurveysErrorCode.SURVEY_WITHDRAWN,
      'this survey was withdrawn at the guest’s request',
    );
  if (now.getTime() >= row.expires_at.getTime())
    throw new SurveysError(
      SurveysErrorCode.SURVEY_TOKEN_EXPIRED,
      `this survey link expired at ${row.expires_at.toISOString()}`,
      { expiredAt: row.expires_at.toISOString() },
    );
  return row;
}
