import type { EntityManager } from 'typeorm';
import { ERASED_RESERVATION_PREFIX, erasedStayOf } from '../domain/erased-stay';
import { StayNights } from '../invitations/stay-nights';

/**
 * Cuts erased guests' invitations `surveyIds` (locked by the caller, their guest id already cut) off their
 * stay: the stay and reservation ids become `erasedStayOf`'s, and both dates the first day of the month of
 * departure (no figure reads them; a month says little of who stayed). Scores stay, counted as they were.
 * The nights the stays were adjusted to are deleted, after the invitations, as an adjustment locks them.
 *
 * A row whose replacement another invitation carries already is its stay recorded again after the erasure
 * (redelivered while the erasure ran, or by a pod of the previous version, which does not look for the
 * replacement): scheduled or skipped, never sent, it is deleted, so a stay keeps one invitation.
 */
export async function forgetStays(
  manager: EntityManager,
  surveyIds: readonly string[],
  key: string,
): Promise<void> {
  if (surveyIds.length === 0) return;
  const rows: { survey_id: string; stay_id: string; property_id: string; reservation_id: string }[] =
    await manager.query(
      `select survey_id, stay_id, property_id, reservation_id from invitations
       where survey_id = any($1::uuid[]) and not starts_with(reservation_id, $2)`,
      [surveyIds, ERASED_RESERVATION_PREFIX],
    );
  if (rows.length === 0) return;
  await StayNights.forget(
    manager,
    rows.map((row) => ({ propertyId: row.property_id, reservationId: row.reservation_id })),
  );
  const erased = rows.map((row) =>
    erasedStayOf(
      { stayId: row.stay_id, propertyId: row.property_id, reservationId: row.reservation_id },
      key,
    ),
  );
  const replacements = [
    rows.map((row) => row.survey_id),
    erased.map((stay) => stay.stayId),
    erased.map((stay) => stay.reservationId),
  ];
  const duplicates: { survey_id: string }[] = await manager.query(
    `with duplicates as (
       delete from invitations i
       using unnest($1::uuid[], $2::uuid[], $3::text[]) as e (survey_id, stay_id, reservation_id)
       where i.survey_id = e.survey_id and i.state in ('scheduled', 'skipped')
         and (exists (select from invitations o where o.stay_id = e.stay_id)
           or exists (select from invitations o
                      where o.property_id = i.property_id and o.reservation_id = e.reservation_id))
       returning i.survey_id)
     select survey_id from duplicates`,
    replacements,
  );
  const deleted = new Set(duplicates.map((row) => row.survey_id));
  const kept = rows.map((_, index) => index).filter((index) => !deleted.has(rows[index].survey_id));
  if (kept.length === 0) return;
  await manager.query(
    `update invitations i set stay_id = e.stay_id, reservation_id = e.reservation_id,
       arrival = date_trunc('month', i.departure)::date, departure = date_trunc('month', i.departure)::date
     from unnest($1::uuid[], $2::uuid[], $3::text[]) as e (survey_id, stay_id, reservation_id)
     where i.survey_id = e.survey_id`,
    replacements.map((column) => kept.map((index) => column[index])),
  );
}
