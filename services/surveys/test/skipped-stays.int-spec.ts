import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '@loyalty/contracts';
import { recording, waitUntil } from '@loyalty/testing';
import { GuestPrivacy } from '../src/guests/guest-privacy';
import { InvitationPlanner } from '../src/invitations/invitation-planner';
import { SurveysApp, validatedStays } from './surveys-app';

describe('surveys skipping stays when they are recorded (real broker and Postgres)', () => {
  let app: SurveysApp;

  beforeAll(async () => {
    app = await SurveysApp.start('surveys_skipped_stays');
    await app.http('PUT', '/settings/properties/NOSAMPLE02', { body: { samplingPercent: 0 } });
  });

  afterAll(async () => {
    await app.close();
  });

  /** A stay skipped when recorded: on an excluded rate plan, or at a property that samples no one. */
  const skippedStay = (guestId: string, reason: 'excluded-rate-plan' | 'not-sampled') =>
    app.stay(guestId, reason === 'excluded-rate-plan' ? { ratePlan: 'COMP' } : { propertyId: 'NOSAMPLE02' });

  it('should keep a stay skipped when recorded after its guest was merged away under the final survivor, as the merge left the stays skipped before', async () => {
    const [survivor, mergedAway, mergedEarlier] = [app.guest(), app.guest(), app.guest()];
    await app.feed(survivor, mergedAway, mergedEarlier);
    const before = skippedStay(mergedAway.data.guestId, 'excluded-rate-plan');
    await app.feed(before);
    await app.feed(
      app.event('guest-merged', {
        survivorId: mergedAway.data.guestId,
        mergedId: mergedEarlier.data.guestId,
      }),
      app.event('guest-merged', { survivorId: survivor.data.guestId, mergedId: mergedAway.data.guestId }),
    );
    const after = [
      skippedStay(mergedAway.data.guestId, 'excluded-rate-plan'),
      skippedStay(mergedEarlier.data.guestId, 'not-sampled'),
    ];
    await app.feed(...after);
    for (const [stay, reason] of [
      [before, 'excluded-rate-plan'],
      [after[0], 'excluded-rate-plan'],
      [after[1], 'not-sampled'],
    ] as const)
      expect(await app.invitation(stay.data.stayId)).toMatchObject({
        state: 'skipped',
        skip_reason: reason,
        guest_id: survivor.data.guestId,
      });
  });

  it('should keep a stay skipped when recorded after its guest, or the guest it was merged into, was erased under no guest, as the erasure left the stays skipped before', async () => {
    const [erased, mergedIntoErased] = [app.guest(), app.guest()];
    await app.feed(erased, mergedIntoErased);
    await app.feed(
      app.event('guest-merged', { survivorId: erased.data.guestId, mergedId: mergedIntoErased.data.guestId }),
    );
    const before = skippedStay(erased.data.guestId, 'excluded-rate-plan');
    await app.feed(before);
    await app.feed(app.event('guest-erased', { guestId: erased.data.guestId }));
    const after = [
      skippedStay(erased.data.guestId, 'not-sampled'),
      skippedStay(mergedIntoErased.data.guestId, 'excluded-rate-plan'),
    ];
    await app.feed(...after);
    for (const [stay, reason] of [
      [before, 'excluded-rate-plan'],
      [after[0], 'not-sampled'],
      [after[1], 'excluded-rate-plan'],
    ] as const)
      expect(await app.invitation(stay.data.stayId)).toMatchObject({
        state: 'skipped',
        skip_reason: reason,
        guest_id: null,
      });
  });

  it.each(['guest-merged', 'guest-erased'] as const)(
    'should wait for a %s of the guest an id was merged into, running while a stay of that id is skipped, and keep the stay as it leaves that guest',
    async (type) => {
      const [guest, mergedEarlier, survivor] = [app.guest(), app.guest(), app.guest()];
      await app.feed(guest, mergedEarlier, survivor);
      await app.feed(
        app.event('guest-merged', { survivorId: guest.data.guestId, mergedId: mergedEarlier.data.guestId }),
      );
      const change = (manager: EntityManager) =>
        type === 'guest-merged'
          ? GuestPrivacy.merge(
              manager,
              app.event(type, { survivorId: survivor.data.guestId, mergedId: guest.data.guestId }).data,
              app.erasureKey,
            )
          : GuestPrivacy.erase(
              manager,
              app.event(type, { guestId: guest.data.guestId }).data,
              app.erasureKey,
            );
      // The merge or erasure done, with its invitations written, and not committed yet.
      const changing = app.holdOpen(change);
      try {
        const changingPid = await changing.pid;
        await waitUntil(`the ${type} done`, () => changing.worked());
        const stay = skippedStay(mergedEarlier.data.guestId, 'excluded-rate-plan');
        let recorded = false;
        const recording = app.feed(stay).then(() => (recorded = true));
        // Not waiting, it would write the stay as it reads the guests before the commit, and the merge or
        // erasure, which wrote the invitations it saw, would never see it.
        await waitUntil(
          'the stay waiting for the merge or erasure, or recorded',
          async () => recorded || (await app.waitingFor(changingPid)) === 1,
        );
        changing.release();
        await Promise.all([changing.done, recording]);
        expect(await app.invitation(stay.data.stayId)).toMatchObject({
          state: 'skipped',
          skip_reason: 'excluded-rate-plan',
          guest_id: type === 'guest-merged' ? survivor.data.guestId : null,
        });
      } finally {
        changing.release();
        await changing.done;
      }
    },
  );

  it('should not make two batches of stays skipped under one guest wait for each other, and make a merge of that guest wait for both and then move their invitations', async () => {
    const [guest, survivor] = [app.guest(), app.guest()];
    await app.feed(guest, survivor);
    const planner = app.service.app.get(InvitationPlanner);
    const stays = [
      skippedStay(guest.data.guestId, 'excluded-rate-plan'),
      skippedStay(guest.data.guestId, 'not-sampled'),
    ];
    const held = stays.map((stay) =>
      app.holdOpen((manager) => planner.plan(manager, validatedStays([stay]))),
    );
    const batches = [...held];
    try {
      const batchPids = await Promise.all(batches.map((batch) => batch.pid));
      // Both recorded, each holding the guest's key until it commits, or one waiting for the other.
      const recorded = await waitUntil('both batches recorded, or one waiting', async () => {
        if (batches.every((batch) => batch.worked())) return 'both';
        const waiting = await Promise.all(batchPids.map((pid) => app.blockersOf(pid)));
        return waiting.some((blockers) => blockers.length > 0) ? 'waiting' : undefined;
      });
      expect(recorded).toBe('both');
      const merging = app.holdOpen((manager) =>
        GuestPrivacy.merge(
          manager,
          app.event('guest-merged', { survivorId: survivor.data.guestId, mergedId: guest.data.guestId }).data,
          app.erasureKey,
        ),
      );
      held.push(merging);
      const mergingPid = await merging.pid;
      await waitUntil(
        'the merge waiting for both batches',
        async () => (await app.blockersOf(mergingPid)).length === 2,
      );
      expect(await app.blockersOf(mergingPid)).toEqual([...batchPids].sort((a, b) => a - b));
      expect(merging.worked()).toBe(false);
    } finally {
      for (const transaction of held) transaction.release();
      await Promise.all(held.map((transaction) => transaction.done));
    }
    for (const stay of stays)
      expect(await app.invitation(stay.data.stayId)).toMatchObject({
        state: 'skipped',
        guest_id: survivor.data.guestId,
      });
  });

  it("should record a batch of stays none of them skipped without any lock, and one with skipped stays with their guests' keys", async () => {
    const guest = app.guest();
    await app.feed(guest);
    const planner = app.service.app.get(InvitationPlanner);
    const plannedIn = async (stays: EventEnvelope<'stay-recorded'>[]) => {
      const statements: string[] = [];
      await app.transaction((manager) => planner.plan(recording(manager, statements), validatedStays(stays)));
      return statements;
    };
    const scheduled = [app.stay(guest.data.guestId), app.stay(guest.data.guestId)];
    // The new properties, their settings, the nights the stays were adjusted to, the invitations.
    expect(await plannedIn(scheduled)).toHaveLength(4);
    const withSkipped = [app.stay(guest.data.guestId), skippedStay(guest.data.guestId, 'excluded-rate-plan')];
    // And the savepoint the keys could be given back to, the keys, the guests' chains of merges.
    const statements = await plannedIn(withSkipped);
    expect(statements).toHaveLength(7);
    expect(statements.filter((sql) => /pg_advisory_xact_lock_shared/.test(sql))).toHaveLength(1);
    expect(await app.invitation(withSkipped[1].data.stayId)).toMatchObject({
      state: 'skipped',
      guest_id: guest.data.guestId,
    });
  });
});
