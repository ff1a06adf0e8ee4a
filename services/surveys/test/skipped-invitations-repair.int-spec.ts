import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { recording, waitUntil } from '@loyalty/testing';
import { GuestPrivacy } from '../src/guests/guest-privacy';
import {
  GUESTS_WITH_SKIPPED_INVITATIONS,
  SkippedInvitationsRepair,
} from '../src/invitations/skipped-invitations-repair';
import { SurveysApp } from './surveys-app';

describe('surveys moving skipped invitations a pod of an earlier version left under merged or erased guests (real broker and Postgres)', () => {
  let app: SurveysApp;

  beforeAll(async () => {
    app = await SurveysApp.start('surveys_skipped_repair', { SURVEYS_SKIPPED_REPAIR_INTERVAL_MS: '0' });
  });

  afterAll(async () => {
    await app.close();
  });

  /** `count` merged-away guests and their survivors, as profiles announces them; their ids. */
  const mergedPairs = async (count: number) => {
    const guests = Array.from({ length: count }, () => [app.guest(), app.guest()]);
    await app.feed(...guests.flat());
    const pairs = guests.map(([survivor, mergedAway]) => ({
      survivorId: survivor.data.guestId,
      mergedId: mergedAway.data.guestId,
    }));
    await app.feed(...pairs.map((pair) => app.event('guest-merged', pair)));
    return pairs;
  };

  /** A merged-away guest and the survivor, as profiles announces them; their ids. */
  const merged = async () => (await mergedPairs(1))[0];

  /** An erased guest; its id. */
  const erased = async () => {
    const guest = app.guest();
    await app.feed(guest);
    await app.feed(app.event('guest-erased', { guestId: guest.data.guestId }));
    return guest.data.guestId;
  };

  /**
   * A stay skipped as it is recorded, written as a pod of a version before migration 1760000004500 writes it:
   * under the stay's own guest id, whatever became of that guest. Its stay id.
   */
  const skippedTheOldWay = async (guestId: string) => {
    const stayId = randomUUID();
    await app.stage.db.query(
      `insert into invitations (survey_id, stay_id, guest_id, property_id, reservation_id, arrival, departure,
                                due_at, state, skip_reason, planned_at)
       values ($1, $2, $3, 'OLD01', $4, '2031-01-08', '2031-01-10', '2031-01-11T09:00:00Z', 'skipped',
               'excluded-rate-plan', now())`,
      [randomUUID(), stayId, guestId, `R-${stayId.slice(0, 8)}`],
    );
    return stayId;
  };

  const guestOf = async (stayId: string) => (await app.invitation(stayId))?.guest_id;

  it('should move, on its own schedule, a skipped invitation written the old way after the migration ran to the survivor, or to no guest once erased', async () => {
    await app.restart(0, { SURVEYS_SKIPPED_REPAIR_INTERVAL_MS: '200' });
    try {
      const { survivorId, mergedId } = await merged();
      const erasedId = await erased();
      const own = app.guest();
      await app.feed(own);
      const stays = {
        merged: await skippedTheOldWay(mergedId),
        erased: await skippedTheOldWay(erasedId),
        own: await skippedTheOldWay(own.data.guestId),
      };
      await waitUntil(
        'the invitation moved to the survivor',
        async () => (await guestOf(stays.merged)) === survivorId,
      );
      await waitUntil('the invitation moved to no guest', async () => (await guestOf(stays.erased)) === null);
      expect(await app.invitation(stays.merged)).toMatchObject({
        state: 'skipped',
        skip_reason: 'excluded-rate-plan',
      });
      expect(await guestOf(stays.own)).toBe(own.data.guestId);
    } finally {
      await app.restart(0, { SURVEYS_SKIPPED_REPAIR_INTERVAL_MS: '0' });
    }
  });

  it('should move one written while the service was down as it starts', async () => {
    const { survivorId, mergedId } = await merged();
    await app.stop();
    const stayId = await skippedTheOldWay(mergedId);
    await app.restart(0, { SURVEYS_SKIPPED_REPAIR_INTERVAL_MS: '0' });
    await waitUntil('the first look', async () => (await guestOf(stayId)) === survivorId || undefined);
  });

  it('should serve while its first look waits for an invitation another transaction holds, then move it', async () => {
    const { survivorId, mergedId } = await merged();
    await app.stop();
    const stayId = await skippedTheOldWay(mergedId);
    const holder = new Client({ connectionString: app.stage.db.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select 1 from invitations where stay_id = $1 for update', [stayId]);
      await app.restart(0, { SURVEYS_SKIPPED_REPAIR_INTERVAL_MS: '0' });
      expect((await app.http('GET', '/health/live')).status).toBe(200);
      expect(await guestOf(stayId)).toBe(mergedId);
      await holder.query('commit');
      await waitUntil('the first look', async () => (await guestOf(stayId)) === survivorId || undefined);
    } finally {
      await holder.end();
    }
  });

  it("should wait for a merge of the survivor holding the invitation, and move it to that merge's survivor", async () => {
    const { survivorId, mergedId } = await merged();
    const next = app.guest();
    await app.feed(next);
    const stayId = await skippedTheOldWay(mergedId);
    // The merge locked the invitations of the survivor and of the ids merged into it, this one too.
    const merging = app.holdOpen((manager) =>
      GuestPrivacy.merge(
        manager,
        app.event('guest-merged', { survivorId: next.data.guestId, mergedId: survivorId }).data,
        app.erasureKey,
      ),
    );
    let moving: Promise<number> | undefined;
    try {
      const mergingPid = await merging.pid;
      await waitUntil('the merge done', () => merging.worked());
      moving = app.service.app.get(SkippedInvitationsRepair).repair();
      await waitUntil(
        'the repair waiting for the merge',
        async () => (await app.waitingFor(mergingPid)) === 1,
      );
    } finally {
      merging.release();
      await merging.done;
    }
    expect(await moving).toBe(1);
    expect(await guestOf(stayId)).toBe(next.data.guestId);
  });

  it('should move each invitation once when two instances repair at the same moment, neither failing', async () => {
    const pairs = await mergedPairs(12);
    // More than one batch (1,000) each, so the two take turns batch by batch.
    await app.stage.db.query(
      `insert into invitations (survey_id, stay_id, guest_id, property_id, reservation_id, arrival, departure,
                                due_at, state, skip_reason, planned_at)
       select gen_random_uuid(), gen_random_uuid(), m.guest_id, 'OLD03', 'R-' || m.n || '-' || k, '2031-01-08',
              '2031-01-10', '2031-01-11T09:00:00Z', 'skipped', 'excluded-rate-plan', now()
       from unnest($1::uuid[]) with ordinality as m (guest_id, n), generate_series(1, 200) as k`,
      [pairs.map((pair) => pair.mergedId)],
    );
    const repair = app.service.app.get(SkippedInvitationsRepair);

    const moved = await Promise.all([repair.repair(), repair.repair()]);

    expect(moved[0] + moved[1]).toBe(2400);
    const rows = await app.stage.db.query<{ guest_id: string; n: string }>(
      `select guest_id, count(*) as n from invitations where property_id = 'OLD03' group by guest_id`,
    );
    expect(new Map(rows.map((row) => [row.guest_id, Number(row.n)]))).toEqual(
      new Map(pairs.map((pair) => [pair.survivorId, 200])),
    );
  });

  it('should find there is nothing to move from indexes alone, locking nothing', async () => {
    await merged();
    await erased();
    // Statistics of a chain's invitations, many guests with a few each, as the planner sees them in use.
    await app.stage.db.query(
      `insert into invitations (survey_id, stay_id, guest_id, property_id, reservation_id, arrival, departure,
                                due_at, state, skip_reason)
       select gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'OLD02', 'R-' || n, '2031-01-08',
              '2031-01-10', '2031-01-11T09:00:00Z', case when n % 3 = 0 then 'skipped' else 'sent' end,
              case when n % 3 = 0 then 'not-sampled' end
       from generate_series(1, 5000) as n`,
    );
    await app.stage.db.query('analyze invitations');
    await app.stage.db.query('analyze survey_guests');
    expect(await app.stage.db.planOf(GUESTS_WITH_SKIPPED_INVITATIONS)).toEqual({
      indexes: ['survey_guests_merged_or_erased', 'invitations_guest'],
      sorts: false,
    });
    // The repair's transactions, their statements recorded.
    const statements: string[] = [];
    const dataSource = app.service.app.get(DataSource);
    const transaction = dataSource.transaction.bind(dataSource) as (
      work: (manager: EntityManager) => Promise<unknown>,
    ) => Promise<unknown>;
    jest
      .spyOn(dataSource, 'transaction')
      .mockImplementation(((work: (manager: EntityManager) => Promise<unknown>) =>
        transaction((manager) => work(recording(manager, statements)))) as never);
    try {
      expect(await app.service.app.get(SkippedInvitationsRepair).repair()).toBe(0);
    } finally {
      jest.mocked(dataSource.transaction).mockRestore();
    }
    // The look, and no lock.
    expect(statements).toEqual([GUESTS_WITH_SKIPPED_INVITATIONS]);
  });

  it('should cut an erased guest’s invitation left naming its stay off it, and delete a second one of a stay already cut off, when it looks', async () => {
    const repair = app.service.app.get(SkippedInvitationsRepair);
    await repair.forgetErasedStays();
    // As a pod of the previous version erases: the guest id cut, the stay's ids kept.
    const answered = { surveyId: randomUUID(), stayId: randomUUID(), reservationId: 'R-ERASED-1' };
    const insert = (row: typeof answered, state: string) =>
      app.stage.db.query(
        `insert into invitations (survey_id, stay_id, guest_id, property_id, reservation_id, arrival, departure,
                                  due_at, state, planned_at)
         values ($1, $2, null, 'CUT01', $3, '2031-01-08', '2031-02-10', '2031-02-11T09:00:00Z', $4, now())`,
        [row.surveyId, row.stayId, row.reservationId, state],
      );
    await insert(answered, 'answered');
    expect(await repair.forgetErasedStays()).toBe(1);
    // The same stay recorded again by a pod of the previous version, which does not look for it.
    await insert({ ...answered, surveyId: randomUUID() }, 'skipped');
    expect(await repair.forgetErasedStays()).toBe(1);

    const rows = await app.stage.db.query(
      `select survey_id, stay_id, reservation_id, to_char(arrival, 'YYYY-MM-DD') as arrival,
              to_char(departure, 'YYYY-MM-DD') as departure
       from invitations where property_id = 'CUT01'`,
    );
    expect(rows).toEqual([
      {
        survey_id: answered.surveyId,
        stay_id: expect.not.stringMatching(answered.stayId),
        reservation_id: expect.stringMatching(/^erased:/),
        arrival: '2031-02-01',
        departure: '2031-02-01',
      },
    ]);
    expect(await app.invitation(answered.stayId)).toMatchObject({ survey_id: answered.surveyId });
    expect(await repair.forgetErasedStays()).toBe(0);
  });
});
