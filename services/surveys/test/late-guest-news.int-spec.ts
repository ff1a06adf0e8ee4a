import { randomUUID } from 'node:crypto';
import type { EventData } from '@loyalty/contracts';
import { waitUntil } from '@loyalty/testing';
import { GuestPrivacy } from '../src/guests/guest-privacy';
import { inIdOrder, SurveysApp } from './surveys-app';

const at = (iso: string) => new Date(iso);
const HOUR_MS = 3_600_000;

/**
 * Profiles announces a guest's registration and updates keyed by the guest, merges keyed by the survivor
 * and stays on a topic of their own, so surveys can handle them in another order than profiles made them.
 */
describe('surveys with guest news handled out of order (real broker and Postgres)', () => {
  let app: SurveysApp;

  beforeAll(async () => {
    app = await SurveysApp.start('surveys_late_news');
  });

  afterAll(async () => {
    await app.close();
  });

  const merge = (survivorId: string, mergedId: string) => app.event('guest-merged', { survivorId, mergedId });

  it("should not invite the survivor when the merged guest's consent withdrawal is handled after the merge", async () => {
    const [merged, survivor] = [app.guest(), app.guest()];
    await app.feed(merged, survivor);
    await app.feed(merge(survivor.data.guestId, merged.data.guestId));
    await app.feed(
      app.event('guest-updated', { guestId: merged.data.guestId, changes: { surveysConsent: false } }),
    );
    const stay = app.stay(survivor.data.guestId, {
      propertyId: 'LATE01',
      checkedOutAt: '2025-04-01T08:00:00Z',
    });
    await app.feed(stay);
    await app.sendDue(at('2025-04-02T12:00:00Z'));
    expect(await app.invitation(stay.data.stayId)).toMatchObject({
      state: 'skipped',
      skip_reason: 'no-consent',
    });
  });

  it("should know the survivor has an email, keeping its language, when the merged guest's registration is handled after the merge", async () => {
    const survivor = app.guest({ emailOnFile: false, phoneOnFile: false, preferredLanguage: 'en-GB' });
    const merged = app.guest({ emailOnFile: true, preferredLanguage: 'zh-CN' });
    await app.feed(survivor);
    await app.feed(merge(survivor.data.guestId, merged.data.guestId));
    await app.feed(merged);
    expect(await app.guestRow(survivor.data.guestId)).toMatchObject({
      email_on_file: true,
      phone_on_file: false,
      preferred_language: 'en-GB',
    });
    const stay = app.stay(survivor.data.guestId, {
      propertyId: 'LATE02',
      checkedOutAt: '2025-04-05T08:00:00Z',
    });
    await app.feed(stay);
    await app.sendDue(at('2025-04-06T12:00:00Z'));
    expect(await app.invitedFor(stay.data.stayId)).toMatchObject({ channel: 'email', language: 'en' });
  });

  /**
   * Profiles registers both guests, then merges the second into the first; surveys handles the survivor's
   * registration `when`. Returns the survivor's id and what surveys keeps of them.
   */
  async function mergedGuests(
    when: 'before the merge' | 'after the merge',
    survivorAttributes: EventData<'guest-registered'>['attributes'],
    mergedAttributes: EventData<'guest-registered'>['attributes'],
  ): Promise<{ survivorId: string; kept: Record<string, unknown> }> {
    const [survivor, merged] = [app.guest(survivorAttributes), app.guest(mergedAttributes)];
    const merging = merge(survivor.data.guestId, merged.data.guestId);
    const handled = when === 'after the merge' ? [merged, merging, survivor] : [survivor, merged, merging];
    for (const event of handled) await app.feed(event);
    const { preferred_language, surveys_consent, email_on_file, phone_on_file, heard_of } =
      await app.guestRow(survivor.data.guestId);
    return {
      survivorId: survivor.data.guestId,
      kept: { preferred_language, surveys_consent, email_on_file, phone_on_file, heard_of },
    };
  }

  it("should keep the merged guest's refusal of surveys whether the consenting survivor's registration is handled before or after the merge", async () => {
    const survivor = { surveysConsent: true, emailOnFile: true };
    const merged = { surveysConsent: false, emailOnFile: true };
    const before = await mergedGuests('before the merge', survivor, merged);
    const after = await mergedGuests('after the merge', survivor, merged);
    expect(after.kept).toEqual(before.kept);
    expect(after.kept).toMatchObject({ surveys_consent: false, email_on_file: true });
    const stay = app.stay(after.survivorId, { propertyId: 'LATE08', checkedOutAt: '2025-06-01T08:00:00Z' });
    await app.feed(stay);
    await app.sendDue(at('2025-06-02T12:00:00Z'));
    expect(await app.invitation(stay.data.stayId)).toMatchObject({
      state: 'skipped',
      skip_reason: 'no-consent',
    });
  });

  it("should invite by the merged guest's email, in the survivor's language, whether the survivor's registration without channels is handled before or after the merge", async () => {
    const survivor = {
      emailOnFile: false,
      phoneOnFile: false,
      preferredLanguage: 'en-GB',
      surveysConsent: true,
    };
    const merged = { emailOnFile: true, phoneOnFile: false, preferredLanguage: 'zh-CN' };
    const before = await mergedGuests('before the merge', survivor, merged);
    const after = await mergedGuests('after the merge', survivor, merged);
    expect(after.kept).toEqual(before.kept);
    expect(after.kept).toEqual({
      preferred_language: 'en-GB',
      surveys_consent: true,
      email_on_file: true,
      phone_on_file: false,
      heard_of: true,
    });
    const stay = app.stay(after.survivorId, { propertyId: 'LATE09', checkedOutAt: '2025-06-05T08:00:00Z' });
    await app.feed(stay);
    await app.sendDue(at('2025-06-06T12:00:00Z'));
    expect(await app.invitedFor(stay.data.stayId)).toMatchObject({
      guestId: after.survivorId,
      channel: 'email',
      language: 'en',
    });
  });

  it('should not fill in an erased guest again when news of an id merged into it is handled late', async () => {
    const [merged, survivor] = [app.guest(), app.guest()];
    await app.feed(merged, survivor);
    await app.feed(merge(survivor.data.guestId, merged.data.guestId));
    await app.feed(app.event('guest-erased', { guestId: survivor.data.guestId }));
    const { guestId } = merged.data;
    const everything = {
      surveysConsent: true,
      emailOnFile: true,
      phoneOnFile: true,
      preferredLanguage: 'fr-FR',
    };
    await app.feed(
      app.event('guest-updated', { guestId, changes: everything }),
      app.event('guest-registered', { guestId, attributes: everything }),
    );
    const erased = {
      erased_at: expect.any(Date),
      preferred_language: null,
      surveys_consent: null,
      email_on_file: false,
      phone_on_file: false,
    };
    expect(await app.guestRow(guestId)).toMatchObject(erased);
    expect(await app.guestRow(survivor.data.guestId)).toMatchObject(erased);
  });

  it('should let a merge and news of an id merged into the merged guest, handled while the merge waits, through one after the other', async () => {
    // The merge holds `mergedAway`, first in id order, while it waits for `survivor`.
    const [mergedAway, survivor] = inIdOrder([app.guest(), app.guest()]);
    const mergedEarlier = app.guest();
    await app.feed(mergedAway, survivor, mergedEarlier);
    await app.feed(merge(mergedAway.data.guestId, mergedEarlier.data.guestId));
    const holdingSurvivor = await app.holdGuest(survivor);
    try {
      // Run directly: its consumer would retry a deadlock out of sight.
      const merging = app.transaction((manager) =>
        GuestPrivacy.merge(
          manager,
          merge(survivor.data.guestId, mergedAway.data.guestId).data,
          app.erasureKey,
        ),
      );
      await waitUntil(
        'the merge waiting for the survivor',
        async () => (await app.waitingFor(holdingSurvivor)) === 1,
      );
      // News of the id merged earlier, which is written to `mergedAway`: the batch waits for the merge.
      const withdrawal = app.event('guest-updated', {
        guestId: mergedEarlier.data.guestId,
        changes: { surveysConsent: false },
      });
      await app.stage.probe.produceJson(app.stage.topic('guest-updated'), [
        { key: withdrawal.subject, event: withdrawal },
      ]);
      await waitUntil('the news waiting for the merge', async () => (await app.lockWaiters()) === 2);
      await app.pastDeadlockChecks();
      // The merge takes the survivor and rewrites `mergedEarlier`: a batch holding that row while it
      // waits for `mergedAway` would be waiting for the merge as the merge waits for it.
      await holdingSurvivor.query('commit');
      await merging;
    } finally {
      await holdingSurvivor.end();
    }
    await app.feed();
    expect(await app.guestRow(mergedEarlier.data.guestId)).toMatchObject({
      merged_into: survivor.data.guestId,
    });
    expect(await app.guestRow(survivor.data.guestId)).toMatchObject({ surveys_consent: false });
  });

  it('should erase an id merged into the guest by a merge that commits while the erasure waits for the guest', async () => {
    const [erased, mergedMeanwhile] = [app.guest(), app.guest()];
    await app.feed(erased, mergedMeanwhile);
    // Profiles merging `mergedMeanwhile` into the guest as surveys' merge writes it: the survivor locked,
    // the merged guest pointed at it.
    const merging = await app.holdGuest(erased);
    try {
      await merging.query('update survey_guests set merged_into = $1 where guest_id = $2', [
        erased.data.guestId,
        mergedMeanwhile.data.guestId,
      ]);
      const erasure = app.event('guest-erased', { guestId: erased.data.guestId });
      await app.stage.probe.produceJson(app.stage.topic('guest-erased'), [
        { key: erasure.subject, event: erasure },
      ]);
      await waitUntil('the erasure waiting for the merge', async () => (await app.waitingFor(merging)) === 1);
      await merging.query('commit');
    } finally {
      await merging.end();
    }
    await app.feed();
    expect(await app.guestRow(mergedMeanwhile.data.guestId)).toMatchObject({
      erased_at: expect.any(Date),
      preferred_language: null,
      email_on_file: false,
    });
  });

  it('should send an invitation whose guest is registered a little after the stay, once the guest is known', async () => {
    const guest = app.guest();
    // Back-filled: due before it is recorded, so the sender can run before the guest's registration is handled.
    const stay = app.stay(guest.data.guestId, {
      propertyId: 'LATE03',
      checkedOutAt: '2025-05-01T08:00:00Z',
    });
    await app.feed(stay);
    expect(await app.sendDue(at('2025-05-02T12:00:00Z'))).toEqual({ sent: 0, skipped: 0 });
    expect(await app.invitation(stay.data.stayId)).toMatchObject({ state: 'scheduled' });

    await app.feed(guest);
    expect(await app.sendDue(at('2025-05-02T12:01:00Z'))).toEqual({ sent: 1, skipped: 0 });
    expect(await app.invitedFor(stay.data.stayId)).toMatchObject({
      guestId: guest.data.guestId,
      channel: 'email',
    });
  });

  it('should keep what a newer update said when the registration is handled after it: the email added, the consent withdrawn', async () => {
    const gainedEmail = app.guest({ emailOnFile: false, preferredLanguage: 'en-GB' });
    const withdrew = app.guest({ surveysConsent: true });
    // The small guest-updated topic overtakes a back-fill's guest-registered backlog.
    await app.feed(
      app.event('guest-updated', { guestId: gainedEmail.data.guestId, changes: { emailOnFile: true } }),
      app.event('guest-updated', { guestId: withdrew.data.guestId, changes: { surveysConsent: false } }),
    );
    await app.feed(gainedEmail, withdrew);
    const [emailed, refused] = [gainedEmail, withdrew].map((guest) =>
      app.stay(guest.data.guestId, { propertyId: 'LATE11', checkedOutAt: '2025-06-01T08:00:00Z' }),
    );
    await app.feed(emailed, refused);
    expect(await app.sendDue(at('2025-06-02T12:00:00Z'))).toEqual({ sent: 1, skipped: 1 });
    expect(await app.invitedFor(emailed.data.stayId)).toMatchObject({ channel: 'email', language: 'en' });
    expect(await app.invitation(refused.data.stayId)).toMatchObject({
      state: 'skipped',
      skip_reason: 'no-consent',
    });
  });

  /** Profiles' change of a guest's consent, made at `updatedAt`. */
  const consent = (guestId: string, surveysConsent: boolean, updatedAt: string) =>
    app.event('guest-updated', { guestId, changes: { surveysConsent }, updatedAt });

  /** The invitation of a stay of the guest, once the sender has decided it. */
  async function decidedStay(guestId: string, propertyId: string): Promise<Record<string, unknown>> {
    const stay = app.stay(guestId, { propertyId, checkedOutAt: '2025-07-01T08:00:00Z' });
    await app.feed(stay);
    await app.sendDue(at('2025-07-02T12:00:00Z'));
    return (await app.invitation(stay.data.stayId)) as Record<string, unknown>;
  }

  it("should keep the merged guest's refusal when the survivor's older consent is handled after the merge", async () => {
    const [survivor, merged] = [app.guest(), app.guest()];
    await app.feed(survivor, merged);
    await app.feed(consent(merged.data.guestId, false, '2025-03-01T10:00:00Z'));
    // The merge, on its own topic, overtakes the survivor's update made before the refusal.
    await app.feed(merge(survivor.data.guestId, merged.data.guestId));
    await app.feed(consent(survivor.data.guestId, true, '2025-02-20T10:00:00Z'));
    expect(await app.guestRow(survivor.data.guestId)).toMatchObject({ surveys_consent: false });
    expect(await decidedStay(survivor.data.guestId, 'LATE12')).toMatchObject({
      state: 'skipped',
      skip_reason: 'no-consent',
    });
  });

  it('should keep a refusal when an older consent of the guest is handled after it (a dead letter replayed)', async () => {
    const guest = app.guest({ surveysConsent: true });
    await app.feed(guest);
    const { guestId } = guest.data;
    await app.feed(consent(guestId, false, '2025-03-01T10:00:00Z'));
    await app.feed(consent(guestId, true, '2025-02-20T10:00:00Z'));
    expect(await app.guestRow(guestId)).toMatchObject({ surveys_consent: false });
    expect(await decidedStay(guestId, 'LATE13')).toMatchObject({
      state: 'skipped',
      skip_reason: 'no-consent',
    });
  });

  it('should keep the refusal of a batch whose older consent comes after it', async () => {
    const guest = app.guest({ surveysConsent: true });
    await app.feed(guest);
    const { guestId } = guest.data;
    await app.feedAsOneBatch(
      consent(guestId, false, '2025-03-01T10:00:00Z'),
      consent(guestId, true, '2025-02-20T10:00:00Z'),
    );
    expect(await app.guestRow(guestId)).toMatchObject({ surveys_consent: false });
  });

  it("should keep the survivor's own refusal handled after the merge, though older than the merged guest's consent", async () => {
    const survivor = app.guest({ surveysConsent: true });
    const merged = app.event('guest-registered', {
      ...app.guest({ surveysConsent: true }).data,
      enrolledAt: '2025-03-10T10:00:00Z',
    });
    await app.feed(survivor, merged);
    await app.feed(merge(survivor.data.guestId, merged.data.guestId));
    await app.feed(consent(survivor.data.guestId, false, '2025-03-01T10:00:00Z'));
    expect(await app.guestRow(survivor.data.guestId)).toMatchObject({ surveys_consent: false });
    expect(await decidedStay(survivor.data.guestId, 'LATE14')).toMatchObject({
      state: 'skipped',
      skip_reason: 'no-consent',
    });
  });

  it("should take a consent given after a refusal, also by a survivor after the merged guest's refusal", async () => {
    const guest = app.guest({ surveysConsent: true });
    const [survivor, merged] = [app.guest(), app.guest()];
    await app.feed(guest, survivor, merged);
    await app.feed(
      consent(guest.data.guestId, false, '2025-03-01T10:00:00Z'),
      consent(merged.data.guestId, false, '2025-03-01T10:00:00Z'),
    );
    await app.feed(merge(survivor.data.guestId, merged.data.guestId));
    await app.feed(
      consent(guest.data.guestId, true, '2025-03-05T10:00:00Z'),
      consent(survivor.data.guestId, true, '2025-03-05T10:00:00Z'),
    );
    for (const guestId of [guest.data.guestId, survivor.data.guestId]) {
      expect(await app.guestRow(guestId)).toMatchObject({ surveys_consent: true });
      expect(await decidedStay(guestId, 'LATE15')).toMatchObject({ state: 'sent' });
    }
  });

  it("should wait for the survivor's registration handled after the merge, and send by its email once it arrives", async () => {
    const survivor = app.guest();
    const mergedId = randomUUID();
    // During a catch-up the small guest-merged topic is handled before the survivor's registration.
    await app.feed(merge(survivor.data.guestId, mergedId));
    const stay = app.stay(survivor.data.guestId, {
      propertyId: 'LATE05',
      checkedOutAt: '2025-05-15T08:00:00Z',
    });
    await app.feed(stay);
    expect(await app.sendDue(at('2025-05-16T12:00:00Z'))).toEqual({ sent: 0, skipped: 0 });
    expect(await app.invitation(stay.data.stayId)).toMatchObject({ state: 'scheduled' });

    await app.feed(survivor);
    expect(await app.sendDue(at('2025-05-16T12:01:00Z'))).toEqual({ sent: 1, skipped: 0 });
    expect(await app.invitedFor(stay.data.stayId)).toMatchObject({
      guestId: survivor.data.guestId,
      channel: 'email',
    });
  });

  it("should send the survivor's invitation by the merged guest's email when only the merged guest's registration arrives after the merge", async () => {
    const survivorId = randomUUID();
    const merged = app.guest({ emailOnFile: true });
    await app.feed(merge(survivorId, merged.data.guestId));
    const stay = app.stay(survivorId, { propertyId: 'LATE06', checkedOutAt: '2025-05-20T08:00:00Z' });
    await app.feed(stay);
    expect(await app.sendDue(at('2025-05-21T12:00:00Z'))).toEqual({ sent: 0, skipped: 0 });

    await app.feed(merged);
    expect(await app.sendDue(at('2025-05-21T12:01:00Z'))).toEqual({ sent: 1, skipped: 0 });
    expect(await app.invitedFor(stay.data.stayId)).toMatchObject({ guestId: survivorId, channel: 'email' });
  });

  it("should send a known guest's invitation due after more than a chunk of invitations still waiting for their guests", async () => {
    const guest = app.guest();
    await app.feed(guest);
    // Due a day earlier (invitations fall due per local check-out day), and more of them than the sender
    // takes in one chunk (200).
    const waiting = Array.from({ length: 210 }, () =>
      app.stay(randomUUID(), { propertyId: 'LATE11', checkedOutAt: '2027-03-01T08:00:00Z' }),
    );
    const known = app.stay(guest.data.guestId, {
      propertyId: 'LATE11',
      checkedOutAt: '2027-03-02T08:00:00Z',
    });
    const recordedAt = at('2027-03-05T12:00:00Z');
    await app.feedAt(recordedAt, ...waiting, known);

    await app.sendDue(new Date(recordedAt.getTime() + 60_000));
    expect(await app.invitedFor(known.data.stayId)).toMatchObject({ guestId: guest.data.guestId });
    const states = await Promise.all(waiting.map((stay) => app.invitation(stay.data.stayId)));
    expect(states.map((row) => row?.state)).toEqual(waiting.map(() => 'scheduled'));
  });

  it('should wait the grace period from when a stay back-filled long after it fell due is recorded, and send once its guest is known', async () => {
    const guest = app.guest();
    const [registeredLater, neverKnown] = [guest.data.guestId, randomUUID()].map((guestId) =>
      app.stay(guestId, { propertyId: 'LATE10', checkedOutAt: '2025-05-01T08:00:00Z' }),
    );
    const recordedAt = at('2025-05-20T12:00:00Z');
    await app.feedAt(recordedAt, registeredLater, neverKnown);
    expect(await app.sendDue(recordedAt)).toEqual({ sent: 0, skipped: 0 });

    await app.feed(guest);
    expect(await app.sendDue(new Date(recordedAt.getTime() + 60_000))).toEqual({ sent: 1, skipped: 0 });
    expect(await app.invitedFor(registeredLater.data.stayId)).toMatchObject({ guestId: guest.data.guestId });
    await app.sendDue(new Date(recordedAt.getTime() + 23 * HOUR_MS));
    expect(await app.invitation(neverKnown.data.stayId)).toMatchObject({ state: 'scheduled' });
    await app.sendDue(new Date(recordedAt.getTime() + 24 * HOUR_MS + 60_000));
    expect(await app.invitation(neverKnown.data.stayId)).toMatchObject({
      state: 'skipped',
      skip_reason: 'unknown-guest',
    });
  });

  it('should skip as unknown-guest, not no-channel, a guest only a merge has named once the grace period is over', async () => {
    const survivorId = randomUUID();
    await app.feed(merge(survivorId, randomUUID()));
    const stay = app.stay(survivorId, { propertyId: 'LATE07', checkedOutAt: '2025-05-25T08:00:00Z' });
    await app.feedAt(at('2025-05-25T09:00:00Z'), stay);
    const dueAt = (await app.invitation(stay.data.stayId))?.due_at as Date;

    await app.sendDue(new Date(dueAt.getTime() + 24 * HOUR_MS + 60_000));
    expect(await app.invitation(stay.data.stayId)).toMatchObject({
      state: 'skipped',
      skip_reason: 'unknown-guest',
    });
  });

  it('should skip an invitation whose guest never becomes known once the grace period after it fell due is over', async () => {
    const stay = app.stay(randomUUID(), { propertyId: 'LATE04', checkedOutAt: '2025-05-10T08:00:00Z' });
    await app.feedAt(at('2025-05-10T09:00:00Z'), stay);
    const dueAt = (await app.invitation(stay.data.stayId))?.due_at as Date;

    await app.sendDue(new Date(dueAt.getTime() + 23 * HOUR_MS));
    expect(await app.invitation(stay.data.stayId)).toMatchObject({ state: 'scheduled' });
    await app.sendDue(new Date(dueAt.getTime() + 24 * HOUR_MS + 60_000));
    expect(await app.invitation(stay.data.stayId)).toMatchObject({
      state: 'skipped',
      skip_reason: 'unknown-guest',
    });
  });
});
