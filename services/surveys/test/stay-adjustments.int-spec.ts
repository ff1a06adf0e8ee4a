import { randomUUID } from 'node:crypto';
import type { EventData, EventEnvelope } from '@loyalty/contracts';
import { waitUntil } from '@loyalty/testing';
import { InvitationPlanner } from '../src/invitations/invitation-planner';
import { SurveysApp, validatedStays } from './surveys-app';

const at = (iso: string) => new Date(iso);

// The sample stay checks out in Amsterdam on 2025-03-04: its invitation is due at 10:00 local the next day.
const BEFORE_DUE = at('2025-03-04T18:00:00Z');
const DUE = at('2025-03-05T09:00:00Z');

describe('surveys withdrawing the invitations of stays adjusted to zero nights (real broker and Postgres)', () => {
  let app: SurveysApp;

  beforeAll(async () => {
    app = await SurveysApp.start('surveys_stay_adjustments');
  });

  afterAll(async () => {
    await app.close();
  });

  /** A `stay-adjusted` (v2) of the stay, posted at `adjustedAt`, with `nights` unless undefined. */
  const adjusted = (
    stay: EventEnvelope<'stay-recorded'>,
    nights: number | undefined,
    adjustedAt = '2025-03-04T15:00:00Z',
  ): EventEnvelope<'stay-adjusted'> => {
    const { propertyId, reservationId } = stay.data;
    const data: Partial<EventData<'stay-adjusted'>> = {
      propertyId,
      reservationId,
      adjustmentId: `ADJ-${randomUUID().slice(0, 8)}`,
      adjustedAt,
      reason: 'correction',
    };
    return app.event('stay-adjusted', nights === undefined ? data : { ...data, nights });
  };

  /** The stays invited, once every invitation written is published. */
  const invitedStays = async () => {
    await app.stage.awaitPublished('survey-invited');
    return new Set(app.records('survey-invited').map((data) => data.stay.stayId));
  };

  const nightsKept = (stay: EventEnvelope<'stay-recorded'>) =>
    app.stage.db.query('select nights from stay_nights where property_id = $1 and reservation_id = $2', [
      stay.data.propertyId,
      stay.data.reservationId,
    ]);

  it('should withdraw an invitation not sent yet when its stay is adjusted to zero nights, and send nothing when it is due', async () => {
    const guest = app.guest();
    const stay = app.stay(guest.data.guestId);
    await app.feed(guest, stay);

    await app.feedAt(BEFORE_DUE, adjusted(stay, 0));

    expect(await app.invitation(stay.data.stayId)).toMatchObject({
      state: 'skipped',
      skip_reason: 'adjusted-to-zero-nights',
      guest_id: guest.data.guestId,
    });
    await app.sendDue(DUE);
    expect(await app.invitation(stay.data.stayId)).toMatchObject({ state: 'skipped', invited_at: null });
  });

  it('should leave an invitation already sent as it is when its stay is adjusted to zero nights', async () => {
    const guest = app.guest();
    const stay = app.stay(guest.data.guestId);
    await app.feed(guest, stay);
    await app.sendDue(DUE);
    await app.invitedFor(stay.data.stayId);

    await app.feedAt(DUE, adjusted(stay, 0));

    expect(await app.invitation(stay.data.stayId)).toMatchObject({ state: 'sent', skip_reason: null });
  });

  it('should wait for a sender holding the invitation and leave it as it sent it', async () => {
    const guest = app.guest();
    const stay = app.stay(guest.data.guestId);
    await app.feed(guest, stay);
    const sending = await app.openTransaction(
      `update invitations set state = 'sent', invited_at = now() where stay_id = $1`,
      [stay.data.stayId],
    );
    let handled: Promise<void> | undefined;
    try {
      handled = app.feedAt(BEFORE_DUE, adjusted(stay, 0));
      await waitUntil(
        'the adjustment waiting for the sender',
        async () => (await app.waitingFor(sending)) > 0,
      );
      await sending.query('commit');
    } finally {
      await sending.end();
    }
    await handled;

    expect(await app.invitation(stay.data.stayId)).toMatchObject({ state: 'sent', skip_reason: null });
  });

  it('should withdraw a stay adjusted to zero nights before it was recorded as it is recorded', async () => {
    const guest = app.guest();
    const stay = app.stay(guest.data.guestId);
    await app.feedAt(BEFORE_DUE, adjusted(stay, 0));

    await app.feed(guest, stay);

    expect(await app.invitation(stay.data.stayId)).toMatchObject({
      state: 'skipped',
      skip_reason: 'adjusted-to-zero-nights',
    });
    await app.sendDue(DUE);
    expect((await invitedStays()).has(stay.data.stayId)).toBe(false);
  });

  it('should skip when due a stay adjusted to zero nights while it was being recorded, which neither saw the other', async () => {
    const guest = app.guest();
    const stay = app.stay(guest.data.guestId);
    await app.feed(guest);
    const planner = app.service.app.get(InvitationPlanner);
    const recording = app.holdOpen((manager) => planner.plan(manager, validatedStays([stay])));
    // Planned (its read of the nights done) before the adjustment is handled: committed before that read,
    // the adjustment would be seen and the stay skipped at once.
    await waitUntil('the stay planned', () => recording.worked());
    await app.feedAt(BEFORE_DUE, adjusted(stay, 0));
    recording.release();
    await recording.done;
    expect(await app.invitation(stay.data.stayId)).toMatchObject({ state: 'scheduled' });

    await app.sendDue(DUE);

    expect(await app.invitation(stay.data.stayId)).toMatchObject({
      state: 'skipped',
      skip_reason: 'adjusted-to-zero-nights',
    });
    expect((await invitedStays()).has(stay.data.stayId)).toBe(false);
  });

  it('should invite a withdrawn stay given nights again before its invitation is due', async () => {
    const guest = app.guest();
    const stay = app.stay(guest.data.guestId);
    await app.feed(guest, stay);
    await app.feedAt(BEFORE_DUE, adjusted(stay, 0, '2025-03-04T15:00:00Z'));

    await app.feedAt(BEFORE_DUE, adjusted(stay, 2, '2025-03-04T16:00:00Z'));

    expect(await app.invitation(stay.data.stayId)).toMatchObject({ state: 'scheduled', skip_reason: null });
    await app.sendDue(DUE);
    await app.invitedFor(stay.data.stayId);
  });

  it('should keep a stay withdrawn when it is given nights again only once its invitation was due', async () => {
    const guest = app.guest();
    const stay = app.stay(guest.data.guestId);
    await app.feed(guest, stay);
    await app.feedAt(BEFORE_DUE, adjusted(stay, 0, '2025-03-04T15:00:00Z'));

    await app.feedAt(DUE, adjusted(stay, 2, '2025-03-05T08:00:00Z'));

    expect(await app.invitation(stay.data.stayId)).toMatchObject({
      state: 'skipped',
      skip_reason: 'adjusted-to-zero-nights',
    });
    expect(await nightsKept(stay)).toEqual([{ nights: 2 }]);
  });

  it('should go by the latest posted adjustment when they arrive in reverse order, one by one or in one batch', async () => {
    const guest = app.guest();
    const [oneByOne, inOneBatch] = [app.stay(guest.data.guestId), app.stay(guest.data.guestId)];
    await app.feed(guest, oneByOne, inOneBatch);

    await app.feedAt(BEFORE_DUE, adjusted(oneByOne, 2, '2025-03-04T16:00:00Z'));
    await app.feedAt(BEFORE_DUE, adjusted(oneByOne, 0, '2025-03-04T15:00:00Z'));
    const batch = [
      adjusted(inOneBatch, 2, '2025-03-04T16:00:00Z'),
      adjusted(inOneBatch, 0, '2025-03-04T15:00:00Z'),
    ];
    await app.feedAsOneBatch(...batch);

    for (const stay of [oneByOne, inOneBatch]) {
      expect(await app.invitation(stay.data.stayId)).toMatchObject({ state: 'scheduled' });
      expect(await nightsKept(stay)).toEqual([{ nights: 2 }]);
    }
  });

  it('should change nothing for an adjustment that leaves the nights as they were', async () => {
    const guest = app.guest();
    const stay = app.stay(guest.data.guestId);
    await app.feed(guest, stay);

    await app.feedAt(BEFORE_DUE, adjusted(stay, undefined));

    expect(await app.invitation(stay.data.stayId)).toMatchObject({ state: 'scheduled' });
    expect(await nightsKept(stay)).toEqual([]);
  });

  it('should dead-letter an adjustment to negative nights and keep nothing of it', async () => {
    const guest = app.guest();
    const stay = app.stay(guest.data.guestId);
    await app.feed(guest, stay);
    const valid = adjusted(stay, 0);
    // Built valid, then broken the way a faulty producer would send it (buildEvent refuses it).
    const broken = { ...valid, data: { ...valid.data, nights: -1 } };

    await app.feed(broken);

    await app.stage.probe.awaitRecords(app.stage.topic('stay-adjusted.dlq'), 1, (record) =>
      record.value!.toString().includes(valid.data.adjustmentId),
    );
    expect(await app.invitation(stay.data.stayId)).toMatchObject({ state: 'scheduled' });
    expect(await nightsKept(stay)).toEqual([]);
  });

  it('should keep a withdrawn invitation under the guest its stay’s guest id stands for now, as a merge leaves skipped ones', async () => {
    const [survivor, mergedAway] = [app.guest(), app.guest()];
    await app.feed(survivor, mergedAway);
    await app.feed(
      app.event('guest-merged', { survivorId: survivor.data.guestId, mergedId: mergedAway.data.guestId }),
    );
    // A scheduled invitation is recorded under the stay's own guest id; the sender follows it when due.
    const stay = app.stay(mergedAway.data.guestId);
    await app.feed(stay);
    expect(await app.invitation(stay.data.stayId)).toMatchObject({ guest_id: mergedAway.data.guestId });

    await app.feedAt(BEFORE_DUE, adjusted(stay, 0));

    expect(await app.invitation(stay.data.stayId)).toMatchObject({
      state: 'skipped',
      skip_reason: 'adjusted-to-zero-nights',
      guest_id: survivor.data.guestId,
    });
  });

  it('should delete the nights kept for a stay when its guest is erased, and keep none of an adjustment handled after', async () => {
    const guest = app.guest();
    const stay = app.stay(guest.data.guestId);
    await app.feed(guest, stay);
    await app.feedAt(BEFORE_DUE, adjusted(stay, 2));
    expect(await nightsKept(stay)).toEqual([{ nights: 2 }]);

    await app.feed(app.event('guest-erased', { guestId: guest.data.guestId }));
    expect(await nightsKept(stay)).toEqual([]);

    await app.feedAt(BEFORE_DUE, adjusted(stay, 0, '2025-03-04T16:00:00Z'));
    expect(await nightsKept(stay)).toEqual([]);
    expect(await app.invitation(stay.data.stayId)).toMatchObject({ guest_id: null, skip_reason: 'erased' });
  });

  it('should withdraw an erased guest’s stay recorded after the erasure under no guest, cut off its stay', async () => {
    const guest = app.guest();
    await app.feed(guest, app.event('guest-erased', { guestId: guest.data.guestId }));
    // Scheduled: the sender would skip it as erased when due.
    const stay = app.stay(guest.data.guestId);
    await app.feed(stay);

    await app.feedAt(BEFORE_DUE, adjusted(stay, 0));

    expect(await app.invitation(stay.data.stayId)).toMatchObject({
      state: 'skipped',
      skip_reason: 'adjusted-to-zero-nights',
      guest_id: null,
      reservation_id: expect.stringMatching(/^erased:/),
    });
    expect(await nightsKept(stay)).toEqual([]);
  });
});
