import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ComplaintError, ComplaintErrorCode } from '../domain';
import type { ComplaintRecord } from './complaint-record';
import { assertSameRequest, type RequestKey } from '@loyalty/platform';
import { keyReused } from './http-edge';

const FIELDS: (keyof ComplaintRecord)[] = [
  'id',
  'guestId',
  'propertyId',
  'stay',
  'reservationId',
  'channel',
  'category',
  'aspect',
  'severity',
  'description',
  'status',
  'ownerId',
  'ownerRole',
  'escalationLevel',
  'policyId',
  'surveyId',
  'openedAt',
  'acknowledgedAt',
  'resolvedAt',
  'closedAt',
  'resolution',
  'resolutionNote',
  'satisfaction',
  'duplicateOf',
];
const snake = (field: string) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
const COLUMNS = FIELDS.map(snake);
const SELECT = `select ${FIELDS.map((field) => `${snake(field)} as "${field}"`).join(', ')} from complaints`;

const valuesOf = (complaint: ComplaintRecord) =>
  FIELDS.map((field) =>
    field === 'stay' && complaint.stay ? JSON.stringify(complaint.stay) : complaint[field],
  );

/** Complaints in Postgres, always inside the caller's transaction. */
@Injectable()
export class ComplaintStore {
  /**
   * Inserts unless a complaint with the same survey, or the same intake key at the same property, exists;
   * then returns that one's id.
   * @throws ComplaintError IDEMPOTENCY_KEY_REUSED when the intake key's complaint came from another request.
   */
  async insert(manager: EntityManager, complaint: ComplaintRecord, intakeKey?: RequestKey): Promise<string> {
    const placeholders = COLUMNS.map((_, index) => `$${index + 1}`).join(', ');
    const inserted: { id: string }[] = await manager.query(
      `insert into complaints (${COLUMNS.join(', ')}, intake_key, intake_fingerprint)
       values (${placeholders}, $${COLUMNS.length + 1}, $${COLUMNS.length + 2})
       on conflict do nothing returning id`,
      [...valuesOf(complaint), intakeKey?.key ?? null, intakeKey?.fingerprint ?? null],
    );
    if (inserted[0]) return inserted[0].id;
    const [existing]: { id: string; fingerprint: string | null }[] = await manager.query(
      `select id, intake_fingerprint as fingerprint from complaints
       where survey_id = $1 or (property_id = $2 and intake_key = $3)`,
      [complaint.surveyId, complaint.propertyId, intakeKey?.key ?? null],
    );
    if (intakeKey) assertSameRequest(intakeKey, existing.fingerprint, keyReused);
    return existing.id;
  }

  /**
   * The complaint the intake key opened at the property, if one did.
   * @throws ComplaintError IDEMPOTENCY_KEY_REUSED when it came from another request.
   */
  async openedWith(
    manager: EntityManager,
    propertyId: string,
    intakeKey: RequestKey,
  ): Promise<ComplaintRecord | undefined> {
    const [existing]: { id: string; fingerprint: string | null }[] = await manager.query(
      'select id, intake_fingerprint as fingerprint from complaints where property_id = $1 and intake_key = $2',
      [propertyId, intakeKey.key],
    );
    if (!existing) return undefined;
    assertSameRequest(intakeKey, existing.fingerprint, keyReused);
    return this.get(manager, existing.id);
  }

  async get(manager: EntityManager, id: string): Promise<ComplaintRecord> {
    return this.one(manager, `${SELECT} where id = $1`, id);
  }

  /**
   * The complaint, read without a lock, if it is at one of the `visible` properties: one elsewhere is
   * answered as one that does not exist (COMPLAINT_NOT_FOUND), so its id tells nothing of it.
   */
  async getVisible(manager: EntityManager, id: string, visible: string[] | 'all'): Promise<ComplaintRecord> {
    return this.one(
      manager,
      `${SELECT} where id = $1 and ($2::text[] is null or property_id = any($2::text[]))`,
      id,
      [visible === 'all' ? null : visible],
    );
  }

  /** Locks the complaint's row for the rest of the transaction. */
  async lock(manager: EntityManager, id: string): Promise<ComplaintRecord> {
    return this.one(manager, `${SELECT} where id = $1 for update`, id);
  }

  async save(manager: EntityManager, complaint: ComplaintRecord): Promise<void> {
    const assignments = COLUMNS.slice(1).map((column, index) => `${column} = $${index + 2}`);
    await manager.query(`update complaints set ${assignments.join(', ')} where id = $1`, valuesOf(complaint));
  }

  /**
   * The free text a write may keep on the complaint: none once its guest was erased (`erased_at`, set by
   * the erasure), whenever staff write it. Read under the caller's lock on the complaint's row.
   */
  async keptText(manager: EntityManager, id: string, text: string | undefined): Promise<string | null> {
    const [row]: { erased: boolean }[] = await manager.query(
      'select erased_at is not null as erased from complaints where id = $1',
      [id],
    );
    return row?.erased ? null : (text ?? null);
  }

  /**
   * The complaints marked duplicates of `originalId`, oldest first. Not locked here: a marking of `originalId`,
   * which moves them, locked them first (`lockForMarking`), and a cancel only refuses when it finds any. Read
   * under the caller's lock on `originalId`'s row, which a marking of a duplicate of it still in flight holds
   * until it commits: that marking is waited for, then seen.
   */
  async duplicatesOf(manager: EntityManager, originalId: string): Promise<ComplaintRecord[]> {
    return manager.query(`${SELECT} where duplicate_of = $1 order by opened_at, id`, [originalId]);
  }

  /**
   * Locks what marking `complaintId` a duplicate of `originalId` reads or changes: both complaints and those
   * marked duplicates of the first (they move to the original). One statement locks them in id order, the
   * order a guest's erasure or merge locks the guest's complaints in (`ofGuest`), so neither can hold one of
   * them while waiting for another the other holds.
   */
  async lockForMarking(manager: EntityManager, complaintId: string, originalId: string): Promise<void> {
    await manager.query(
      'select id from complaints where id = any($1::uuid[]) or duplicate_of = $2 order by id for update',
      [[complaintId, originalId], complaintId],
    );
  }

  /**
   * Holds these complaints as they are until commit (`for share`): a command in flight on one is waited for,
   * and none starts meanwhile. In id order, as every lock of several complaints is taken.
   */
  async holdAsTheyAre(manager: EntityManager, ids: readonly string[]): Promise<void> {
    await manager.query('select id from complaints where id = any($1::uuid[]) order by id for share', [ids]);
  }

  /** The guest's complaints, locked in id order; with `unerasedOnly`, those no erasure has reached yet. */
  async ofGuest(
    manager: EntityManager,
    guestId: string,
    { unerasedOnly = false }: { unerasedOnly?: boolean } = {},
  ): Promise<ComplaintRecord[]> {
    const unerased = unerasedOnly ? 'and erased_at is null' : '';
    return manager.query(`${SELECT} where guest_id = $1 ${unerased} order by id for update`, [guestId]);
  }

  private async one(
    manager: EntityManager,
    sql: string,
    id: string,
    params: unknown[] = [],
  ): Promise<ComplaintRecord> {
    const [complaint]: ComplaintRecord[] = await manager.query(sql, [id, ...params]);
    if (!complaint) {
      throw new ComplaintError(ComplaintErrorCode.COMPLAINT_NOT_FOUND, `no complaint ${id}`, {
        complaintId: id,
      });
    }
    return complaint;
  }
}

export { SELECT as SELECT_COMPLAINTS };
