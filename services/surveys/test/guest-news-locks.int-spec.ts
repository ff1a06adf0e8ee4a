import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { waitUntil } from '@loyalty/testing';
import { GuestDirectory, type GuestAttributes } from '../src/guests/guest-directory';
import { GuestPrivacy } from '../src/guests/guest-privacy';
import { InvitationPlanner } from '../src/invitations/invitation-planner';
import { SurveysApp, validatedStays } from './surveys-app';

describe('surveys guest news beside stays, merges and other news (real broker and Postgres)', () => {
  let app: SurveysApp;

  beforeAll(async () => {
    app = await SurveysApp.start('surveys_guest_news_locks');
  });

  afterAll(async () => {
    await app.close();
  });

  /** News made as it is handled: newer than any the guests were fed (the sample events' are of 2025). */
  const news =
    (announced: 'registration' | 'update', ...updates: Omit<GuestAttributes, 'asOf'>[]) =>
    (manager: EntityManager) =>
      GuestDirectory.remember(
        manager,
        updates.map((update) => ({ ...update, asOf: new Date() })),
        announced,
      );

  /** `work` in a transaction that fails rather than wait long for a lock. */
  const withoutWaiting = (work: (manager: EntityManager) => Promise<unknown>) =>
    app.transaction(async (manager) => {
      await manager.query(`set local lock_timeout = '2s'`);
      await work(manager);
    });

  it.each([
    ['withdrawn', 'news', { before: true, after: false }, { state: 'skipped', skip_reason: 'no-consent' }],
    ['withdrawn', 'stays', { before: true, after: false }, { state: 'skipped', skip_reason: 'no-consent' }],
    ['given', 'news', { before: false, after: true }, { state: 'sent' }],
    ['given', 'stays', { before: false, after: true }, { state: 'sent' }],
  ] as const)(
    'should neither wait for the other when consent is %s while a batch of stays of the guest is recorded, the %s held open, and decide the stay on the consent',
    async (_change, held, consent, decided) => {
      const guest = app.guest({ surveysConsent: consent.before });
      await app.feed(guest);
      const { guestId } = guest.data;
      const scheduled = app.stay(guestId, { propertyId: 'NEWS01', checkedOutAt: '2025-11-03T08:00:00Z' });
      // Skipped as it is recorded: its batch takes the guest's key (`skippedUnderUntilCommit`).
      const skipped = app.stay(guestId, { propertyId: 'NEWS01', ratePlan: 'COMP' });
      const planner = app.service.app.get(InvitationPlanner);
      const recordStays = (manager: EntityManager) =>
        planner.plan(manager, validatedStays([scheduled, skipped]));
      const changeConsent = news('update', { guestId, attributes: { surveysConsent: consent.after } });
      // One done and left open; the other must get through before it commits.
      const holding = app.holdOpen(held === 'news' ? changeConsent : recordStays);
      try {
        await waitUntil(`the ${held} done`, () => holding.worked());
        await withoutWaiting(held === 'news' ? recordStays : changeConsent);
      } finally {
        holding.release();
        await holding.done;
      }
      await app.sendDue(new Date('2025-11-04T12:00:00Z'));
      expect(await app.invitation(scheduled.data.stayId)).toMatchObject({ ...decided, guest_id: guestId });
      expect(await app.invitation(skipped.data.stayId)).toMatchObject({
        state: 'skipped',
        skip_reason: 'excluded-rate-plan',
        guest_id: guestId,
      });
      expect(await app.guestRow(guestId)).toMatchObject({ surveys_consent: consent.after });
    },
  );

  it('should still make a merge of a guest wait for a batch of news of them, and fold what the news said', async () => {
    const [guest, survivor] = [app.guest(), app.guest()];
    await app.feed(guest, survivor);
    const withdrawing = app.holdOpen(
      news('update', { guestId: guest.data.guestId, attributes: { surveysConsent: false } }),
    );
    const merge = app.event('guest-merged', {
      survivorId: survivor.data.guestId,
      mergedId: guest.data.guestId,
    }).data;
    let merging: ReturnType<SurveysApp['holdOpen']> | undefined;
    try {
      await waitUntil('the news done', () => withdrawing.worked());
      merging = app.holdOpen((manager) => GuestPrivacy.merge(manager, merge, app.erasureKey));
      merging.release();
      const [withdrawingPid, mergingPid] = await Promise.all([withdrawing.pid, merging.pid]);
      await waitUntil(
        'the merge waiting for the news',
        async () => (await app.blockersOf(mergingPid)).includes(withdrawingPid) || undefined,
      );
      expect(merging.worked()).toBe(false);
      // On the guest's key, which the news holds shared: not only on its row, which the merge takes after.
      const [{ waitingOn }] = await app.stage.db.query<{ waitingOn: string }>(
        'select wait_event as "waitingOn" from pg_stat_activity where pid = $1',
        [mergingPid],
      );
      expect(waitingOn).toBe('advisory');
    } finally {
      withdrawing.release();
      await Promise.all([withdrawing.done, merging?.done]);
    }
    expect(await app.guestRow(survivor.data.guestId)).toMatchObject({ surveys_consent: false });
  });

  it('should let batches of news of the same guests through, one after the other, when a guest a batch found unknown is inserted by another before it inserts it', async () => {
    // `unknown` is locked first in id order; `known` is held while the registration locks the rows.
    const [unknown, known] = [randomUUID(), randomUUID()].sort();
    const registered = {
      emailOnFile: true,
      phoneOnFile: false,
      preferredLanguage: 'en-GB',
      surveysConsent: true,
    };
    await app.feed(app.event('guest-registered', { guestId: known, attributes: registered }));
    const holdingKnown = await app.openTransaction(
      'select 1 from survey_guests where guest_id = $1 for update',
      [known],
    );
    const transactions: ReturnType<SurveysApp['holdOpen']>[] = [];
    try {
      const holdingPid = (await holdingKnown.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]
        .pid;
      // A registration of both, which reads `unknown` as having no row and waits for `known`.
      const registering = app.holdOpen(
        news(
          'registration',
          { guestId: unknown, attributes: registered },
          { guestId: known, attributes: registered },
        ),
      );
      registering.release();
      transactions.push(registering);
      const registeringPid = await registering.pid;
      await waitUntil(
        'the registration waiting for `known`',
        async () => (await app.blockersOf(registeringPid)).includes(holdingPid) || undefined,
      );
      // An update of `unknown` inserts its row and commits meanwhile.
      await withoutWaiting(news('update', { guestId: unknown, attributes: { surveysConsent: false } }));
      // A later update of both locks `unknown`, then waits for `known`, after the registration.
      const updating = app.holdOpen(
        news(
          'update',
          { guestId: unknown, attributes: { phoneOnFile: true } },
          { guestId: known, attributes: { surveysConsent: false } },
        ),
      );
      updating.release();
      transactions.push(updating);
      const updatingPid = await updating.pid;
      await waitUntil(
        'the update waiting for `known`',
        async () => (await app.blockersOf(updatingPid)).length > 0 || undefined,
      );
      await app.pastDeadlockChecks();
      // The registration takes `known`, finds `unknown` inserted, and locks both again in order, after the
      // update: had it written `unknown` as it is, each would wait for the other.
      await holdingKnown.query('commit');
      await Promise.all(transactions.map((transaction) => transaction.done));
    } finally {
      await holdingKnown.end();
      await Promise.allSettled(transactions.map((transaction) => transaction.done));
    }
    // The updates are newer than the registration, which only fills in what they left unknown.
    expect(await app.guestRow(unknown)).toMatchObject({
      surveys_consent: false,
      email_on_file: true,
      phone_on_file: true,
      preferred_language: 'en-GB',
    });
    expect(await app.guestRow(known)).toMatchObject({ surveys_consent: false, email_on_file: true });
  });
});
