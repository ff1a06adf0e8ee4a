import { randomUUID } from 'node:crypto';
import type { EventData } from '@loyalty/contracts';
import { Clock } from '@loyalty/platform';
import { localDateOf } from '@loyalty/time';
import { SEND_ALL_DAY, SurveysApp } from './surveys-app';

describe('surveys answering and insight (real broker and Postgres)', () => {
  let app: SurveysApp;
  const now = new Date();
  // The sample stays are in Amsterdam: answers count on that local day.
  const today = localDateOf(now, 'Europe/Amsterdam');

  beforeAll(async () => {
    // Invitations go out at the real hour, which may be night in Amsterdam.
    app = await SurveysApp.start('surveys_answers', SEND_ALL_DAY);
  });

  afterAll(async () => {
    await app.close();
  });

  /** Invites a fresh reachable guest for a stay at `propertyId` now, and returns the invitation. */
  async function invite(
    propertyId: string,
    attributes: EventData<'guest-registered'>['attributes'] = {},
  ): Promise<EventData<'survey-invited'>> {
    const guest = app.guest(attributes);
    const stay = app.stay(guest.data.guestId, { propertyId });
    await app.feed(guest, stay);
    await app.sendDue(now);
    return app.invitedFor(stay.data.stayId);
  }

  it('should show the survey in Chinese when the guest prefers Chinese', async () => {
    const invited = await invite('SHOW01', { preferredLanguage: 'zh-CN' });
    const { status, body } = await app.http<{ language: string; questions: { id: string; text: string }[] }>(
      'GET',
      `/survey/${invited.token}`,
      { anonymous: true },
    );
    expect(status).toBe(200);
    expect(body.language).toBe('zh');
    expect(body.questions.find((q) => q.id === 'recommend')?.text).toBe('您向朋友推荐我们的可能性有多大？');
  });

  it('should name each invalid answer and accept the corrected answers with the same token', async () => {
    const invited = await invite('VALID01');
    const refused = await app.answer(invited.token, { recommend: 11, empathy: 0, mood: 'fine' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      code: 'SURVEY_ANSWERS_INVALID',
      errors: [
        { question: 'mood', reason: 'is not a question of post-stay v1' },
        { question: 'recommend', reason: 'must be a whole number from 0 to 10' },
        { question: 'satisfaction', reason: 'is required' },
        { question: 'empathy', reason: 'must be a whole number from 1 to 5' },
      ],
    });
    const accepted = await app.answer(invited.token, { recommend: 10, satisfaction: 5 });
    expect(accepted).toMatchObject({ status: 201, body: { classification: 'promoter' } });
  });

  it('should refuse a comment with a NUL with a 422 naming the comment, and take it corrected, when a guest sends one', async () => {
    const invited = await invite('VALID02');
    const refused = await app.answer(invited.token, { recommend: 8, satisfaction: 4, comment: 'a\u0000b' });
    expect(refused).toMatchObject({
      status: 422,
      body: {
        code: 'SURVEY_ANSWERS_INVALID',
        errors: [
          {
            question: 'comment',
            reason: 'must not contain control characters other than tabs and line breaks',
          },
        ],
      },
    });
    const accepted = await app.answer(invited.token, { recommend: 8, satisfaction: 4, comment: 'a b' });
    expect(accepted).toMatchObject({ status: 201, body: { classification: 'passive' } });
  });

  it('should refuse a used token, an expired token and a forged token with their own codes', async () => {
    const invited = await invite('TOKEN01');
    expect((await app.answer(invited.token, { recommend: 8, satisfaction: 4 })).status).toBe(201);
    const reused = await app.answer(invited.token, { recommend: 8, satisfaction: 4 });
    expect(reused).toMatchObject({ status: 409, body: { code: 'SURVEY_ALREADY_ANSWERED' } });

    const late = await invite('TOKEN01');
    app.setClock(new Date(Date.parse(late.expiresAt) + 1_000));
    const expired = await app.answer(late.token, { recommend: 8, satisfaction: 4 });
    jest.restoreAllMocks();
    expect(expired).toMatchObject({ status: 410, body: { code: 'SURVEY_TOKEN_EXPIRED' } });
    app.setClock(new Date(Date.parse(late.expiresAt) - 1_000));
    expect((await app.answer(late.token, { recommend: 8, satisfaction: 4 })).status).toBe(201);
    jest.restoreAllMocks();

    const forged = `${late.surveyId}.9999999999.c2lnbmF0dXJl`;
    expect(await app.answer(forged, { recommend: 8, satisfaction: 4 })).toMatchObject({
      status: 404,
      body: { code: 'SURVEY_TOKEN_INVALID' },
    });
  });

  it('should publish detractor-identified for a 6 and for a very low CSAT, and not for a 7', async () => {
    const detractor = await invite('RECOVER01');
    const unhappy = await invite('RECOVER01');
    const passive = await invite('RECOVER01');
    await app.answer(detractor.token, { recommend: 6, satisfaction: 3, housekeeping: 1, 'front-desk': 4 });
    await app.answer(unhappy.token, { recommend: 9, satisfaction: 1 });
    await app.answer(passive.token, { recommend: 7, satisfaction: 4 });

    expect(await app.awaitRecord('detractor-identified', detractor.surveyId)).toMatchObject({
      guestId: detractor.guestId,
      nps: 6,
      trigger: 'nps',
      lowestDimensions: [
        { dimension: 'cleanliness', score: 1 },
        { dimension: 'check-in', score: 4 },
      ],
    });
    expect(await app.awaitRecord('detractor-identified', unhappy.surveyId)).toMatchObject({
      trigger: 'csat',
      csat: 1,
    });
    expect(await app.awaitRecord('survey-completed', passive.surveyId)).toMatchObject({
      nps: 7,
      classification: 'passive',
    });
    expect(app.records('detractor-identified').some((d) => d.surveyId === passive.surveyId)).toBe(false);
  });

  it('should count 6/7 and 8/9 at the band edges and a skipped recommend answer as a response only', async () => {
    const scores = [6, 7, 8, 9, undefined];
    const invitations = [];
    for (let i = 0; i < scores.length; i++) invitations.push(await invite('EDGE01'));
    for (const [i, invited] of invitations.entries()) {
      const answer = await app.answer(invited.token, { recommend: scores[i], satisfaction: 4, tangibles: 3 });
      expect(answer.status).toBe(201);
    }
    const skipped = await app.awaitRecord('survey-completed', invitations[4].surveyId);
    expect(skipped.nps).toBeUndefined();
    expect(skipped.classification).toBeUndefined();

    const { status, body } = await app.http(
      'GET',
      `/insight/nps?scope=property&id=EDGE01&period=rolling-90&date=${today}`,
      { roles: ['analyst'], properties: ['EDGE01'] },
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      promoters: 1,
      passives: 2,
      detractors: 1,
      nps: 0,
      answers: 4,
      responses: 5,
      invited: 5,
      responseRate: 1,
      csatAverage: 4,
      serviceQuality: { tangibles: { average: 3, answers: 5 } },
    });
    expect(body.marginOfError).toBeCloseTo(1.959964 * Math.sqrt(0.5 / 4) * 100, 1);
  });

  it('should move answers to the survivor on merge and keep scores but not text or identity on erasure', async () => {
    const merged = await invite('PRIV01');
    const survivor = app.guest();
    await app.feed(
      survivor,
      app.event('guest-merged', { survivorId: survivor.data.guestId, mergedId: merged.guestId }),
    );
    await app.answer(merged.token, { recommend: 3, satisfaction: 2, comment: 'The room was cold' });
    expect(await app.awaitRecord('survey-completed', merged.surveyId)).toMatchObject({
      guestId: survivor.data.guestId,
      hasComment: true,
    });
    // The survivor inherits the merged guest's recent invitation: the recontact window holds.
    const next = app.stay(survivor.data.guestId, { propertyId: 'PRIV01' });
    await app.feed(next);
    await app.sendDue(now);
    expect(await app.invitation(next.data.stayId)).toMatchObject({ skip_reason: 'recently-surveyed' });

    const pending = await invite('PRIV01');
    await app.feed(app.event('guest-erased', { guestId: survivor.data.guestId }));
    const [answer] = await app.stage.db.query('select * from answers where survey_id = $1', [
      merged.surveyId,
    ]);
    expect(answer).toMatchObject({ guest_id: null, comment: null, nps: 3, csat: 2 });
    const { body } = await app.http('GET', `/insight/nps?scope=property&id=PRIV01&period=week&date=${today}`);
    expect(body).toMatchObject({ detractors: 1, responses: 1 });

    await app.feed(app.event('guest-erased', { guestId: pending.guestId }));
    expect(await app.answer(pending.token, { recommend: 9, satisfaction: 5 })).toMatchObject({
      status: 410,
      body: { code: 'SURVEY_WITHDRAWN' },
    });
  });

  it('should clear what is kept under a merged id when its survivor is erased', async () => {
    const merged = await invite('PRIV02', { preferredLanguage: 'zh-CN', surveysConsent: true });
    const survivor = app.guest();
    await app.feed(
      survivor,
      app.event('guest-merged', { survivorId: survivor.data.guestId, mergedId: merged.guestId }),
    );
    // A stay of the merged id recorded after the merge is scheduled under that id.
    const late = app.stay(merged.guestId, { propertyId: 'PRIV02' });
    await app.feed(late);

    await app.feed(app.event('guest-erased', { guestId: survivor.data.guestId }));
    const [row] = await app.stage.db.query('select * from survey_guests where guest_id = $1', [
      merged.guestId,
    ]);
    expect(row).toMatchObject({
      preferred_language: null,
      surveys_consent: null,
      email_on_file: false,
      phone_on_file: false,
    });
    expect(await app.invitation(late.data.stayId)).toMatchObject({
      state: 'skipped',
      skip_reason: 'erased',
      guest_id: null,
    });
  });

  it('should move a merged guest to the final survivor when a later merge of its survivor came first', async () => {
    const merged = await invite('PRIV03');
    await app.answer(merged.token, { recommend: 4, satisfaction: 2, comment: 'Noisy at night' });
    const [middle, last] = [app.guest(), app.guest()];
    await app.feed(
      middle,
      last,
      app.event('guest-merged', { survivorId: last.data.guestId, mergedId: middle.data.guestId }),
      app.event('guest-merged', { survivorId: middle.data.guestId, mergedId: merged.guestId }),
    );
    const [answer] = await app.stage.db.query('select * from answers where survey_id = $1', [
      merged.surveyId,
    ]);
    expect(answer).toMatchObject({ guest_id: last.data.guestId });
    // The final survivor inherits the merged guest's recent invitation.
    const next = app.stay(last.data.guestId, { propertyId: 'PRIV03' });
    await app.feed(next);
    await app.sendDue(now);
    expect(await app.invitation(next.data.stayId)).toMatchObject({ skip_reason: 'recently-surveyed' });

    await app.feed(app.event('guest-erased', { guestId: last.data.guestId }));
    const [erased] = await app.stage.db.query('select * from answers where survey_id = $1', [
      merged.surveyId,
    ]);
    expect(erased).toMatchObject({ guest_id: null, comment: null, nps: 4 });
  });

  it('should keep no id of an erased guest’s stay on their invitation nor in the listing, and survey the stay recorded again no more, when the guest is erased', async () => {
    const invited = await invite('PRIV05');
    await app.answer(invited.token, { recommend: 9, satisfaction: 4 });
    await app.feed(app.event('guest-erased', { guestId: invited.guestId }));

    const [row] = await app.stage.db.query(
      `select *, to_char(arrival, 'YYYY-MM-DD') as arrival, to_char(departure, 'YYYY-MM-DD') as departure
       from invitations where survey_id = $1`,
      [invited.surveyId],
    );
    const departureMonth = `${invited.stay.departure.slice(0, 8)}01`;
    expect(row).toMatchObject({ guest_id: null, state: 'answered', answered_at: expect.any(Date) });
    expect(row.stay_id).not.toBe(invited.stay.stayId);
    expect(row.reservation_id).toMatch(/^erased:/);
    expect(row.reservation_id).not.toContain(invited.stay.reservationId);
    expect([row.arrival, row.departure]).toEqual([departureMonth, departureMonth]);
    const listed = await app.http<Record<string, unknown>[]>(
      'GET',
      '/invitations?state=answered&propertyId=PRIV05',
    );
    expect(listed.body).toEqual([
      expect.objectContaining({ surveyId: invited.surveyId, reservationId: row.reservation_id }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(invited.stay.reservationId);
    const [answer] = await app.stage.db.query('select nps, csat from answers where survey_id = $1', [
      invited.surveyId,
    ]);
    expect(answer).toEqual({ nps: 9, csat: 4 });

    // Redelivered, and recorded again under another stay id for the same reservation.
    const { stay } = invited;
    await app.feed(
      app.event('stay-recorded', { ...app.stay(invited.guestId).data, ...stay, guestId: invited.guestId }),
      app.event('stay-recorded', {
        ...app.stay(invited.guestId).data,
        ...stay,
        stayId: randomUUID(),
        guestId: invited.guestId,
      }),
    );
    const invitationsOfTheStay = () =>
      app.stage.db.query('select survey_id from invitations where property_id = $1', ['PRIV05']);
    expect(await invitationsOfTheStay()).toEqual([{ survey_id: invited.surveyId }]);
    await app.sendDue(now);
    expect(await invitationsOfTheStay()).toEqual([{ survey_id: invited.surveyId }]);
    const { body } = await app.http('GET', `/insight/nps?scope=property&id=PRIV05&period=week&date=${today}`);
    expect(body).toMatchObject({ promoters: 1, responses: 1, invited: 1 });
  });

  it('should erase a merged guest rather than fill in the survivor when the survivor was already erased', async () => {
    const merged = await invite('PRIV04', {
      preferredLanguage: 'zh-CN',
      surveysConsent: true,
      phoneOnFile: true,
    });
    await app.answer(merged.token, { recommend: 5, satisfaction: 2, comment: 'The lift was broken' });
    const late = app.stay(merged.guestId, { propertyId: 'PRIV04' });
    const survivor = app.guest();
    await app.feed(late, survivor);
    await app.feed(app.event('guest-erased', { guestId: survivor.data.guestId }));

    await app.feed(
      app.event('guest-merged', { survivorId: survivor.data.guestId, mergedId: merged.guestId }),
    );
    const rows = await app.stage.db.query(
      'select * from survey_guests where guest_id = any($1::uuid[]) order by guest_id = $2',
      [[merged.guestId, survivor.data.guestId], survivor.data.guestId],
    );
    const cleared = {
      preferred_language: null,
      surveys_consent: null,
      email_on_file: false,
      phone_on_file: false,
    };
    expect(rows).toEqual([
      expect.objectContaining({
        guest_id: merged.guestId,
        merged_into: survivor.data.guestId,
        erased_at: expect.any(Date),
        ...cleared,
      }),
      expect.objectContaining({ guest_id: survivor.data.guestId, ...cleared }),
    ]);
    const [answer] = await app.stage.db.query('select * from answers where survey_id = $1', [
      merged.surveyId,
    ]);
    expect(answer).toMatchObject({ guest_id: null, comment: null, nps: 5, csat: 2 });
    expect(await app.invitation(late.data.stayId)).toMatchObject({
      state: 'skipped',
      skip_reason: 'erased',
      guest_id: null,
    });

    // Profiles' later news of the merged id does not fill it in again.
    await app.feed(
      app.event('guest-updated', { guestId: merged.guestId, changes: { preferredLanguage: 'fr-FR' } }),
    );
    const [after] = await app.stage.db.query('select * from survey_guests where guest_id = $1', [
      merged.guestId,
    ]);
    expect(after).toMatchObject(cleared);
  });

  /** The guest answers at `at`, as the service's clock reads it. */
  async function answerAt(at: Date, token: string, answers: Record<string, unknown>) {
    const clock = jest.spyOn(app.service.app.get(Clock), 'now').mockReturnValue(at);
    try {
      return await app.answer(token, answers);
    } finally {
      clock.mockRestore();
    }
  }

  /** The property's NPS for the week of `date`. */
  const weekOf = async (propertyId: string, date: string) =>
    (await app.http('GET', `/insight/nps?scope=property&id=${propertyId}&period=week&date=${date}`)).body;

  it('should count a response against the week its invitation was sent when the guest answers in a later week', async () => {
    const sentAt = new Date('2031-03-05T10:00:00Z'); // a Wednesday
    const answeredAt = new Date('2031-03-17T10:00:00Z'); // the Monday two weeks on, the link still valid
    const guest = app.guest();
    const stay = app.stay(guest.data.guestId, { propertyId: 'RATE01' });
    await app.feed(guest, stay);
    await app.sendDue(sentAt);
    const invited = await app.invitedFor(stay.data.stayId);
    expect(await answerAt(answeredAt, invited.token, { recommend: 10, satisfaction: 5 })).toMatchObject({
      status: 201,
    });

    const week = (date: string) => weekOf('RATE01', date);
    expect(await week('2031-03-05')).toMatchObject({ invited: 1, responses: 0, responseRate: 1 });
    expect(await week('2031-03-17')).toMatchObject({
      invited: 0,
      responses: 1,
      promoters: 1,
      responseRate: null,
    });
  });

  it("should count a response against the day its invitation was counted on, when the property's zone is corrected before the answer", async () => {
    const sentAt = new Date('2031-03-10T02:00:00Z'); // Monday in UTC, still Sunday in Los Angeles
    const guest = app.guest();
    const stay = app.stay(guest.data.guestId, { propertyId: 'ZONE01', timeZone: 'UTC' });
    await app.feed(guest, stay);
    await app.sendDue(sentAt);
    const invited = await app.invitedFor(stay.data.stayId);
    await app.stage.db.query(
      `update survey_properties set time_zone = 'America/Los_Angeles' where property_id = 'ZONE01'`,
    );
    const answeredAt = new Date('2031-03-12T18:00:00Z');
    expect(await answerAt(answeredAt, invited.token, { recommend: 9, satisfaction: 5 })).toMatchObject({
      status: 201,
    });

    const week = (date: string) => weekOf('ZONE01', date);
    expect(await week('2031-03-10')).toMatchObject({ invited: 1, responses: 1, responseRate: 1 });
    expect(await week('2031-03-03')).toMatchObject({ invited: 0, responses: 0, responseRate: null });
  });

  it('should validate against the property template version sent, and report it by brand, chain, trend and drivers', async () => {
    const published = await app.http<{ version: number }>('POST', '/templates', {
      body: {
        templateId: 'post-stay',
        scope: 'property',
        scopeId: 'TPL01',
        questions: [
          { id: 'recommend', kind: 'nps', required: true, text: { en: 'Recommend us?', zh: '推荐我们吗？' } },
          { id: 'tangibles', kind: 'quality', required: true, text: { en: 'Nice rooms?' } },
        ],
      },
    });
    expect(published).toMatchObject({ status: 201, body: { version: 2 } });
    await app.http('PUT', '/settings/properties/TPL01', { body: { brand: 'tplbrand' } });
    const invitations = [];
    for (let i = 0; i < 4; i++) invitations.push(await invite('TPL01'));
    const refused = await app.answer(invitations[0].token, { recommend: 9, satisfaction: 5 });
    expect(refused.body).toMatchObject({
      errors: [
        { question: 'satisfaction', reason: 'is not a question of post-stay v2' },
        { question: 'tangibles', reason: 'is required' },
      ],
    });
    for (const [i, invited] of invitations.entries())
      expect(
        (await app.answer(invited.token, { recommend: [3, 6, 8, 10][i], tangibles: i + 2 })).status,
      ).toBe(201);

    const query = `period=month&date=${today}`;
    const brand = await app.http('GET', `/insight/nps?scope=brand&id=tplbrand&${query}`);
    expect(brand.body).toMatchObject({ answers: 4, promoters: 1, detractors: 2, nps: -25 });
    const chain = await app.http<{ answers: number }>('GET', `/insight/nps?scope=chain&${query}`);
    expect(chain.body.answers).toBeGreaterThan(4);
    const scoped = await app.http('GET', `/insight/nps?scope=chain&${query}`, {
      roles: ['analyst'],
      properties: ['TPL01'],
    });
    expect(scoped.status).toBe(403);

    const trend = await app.http<{ points: { answers: number }[] }>(
      'GET',
      `/insight/nps/trend?scope=property&id=TPL01&period=week&date=${today}&periods=3`,
    );
    expect(trend.body.points.map((p) => p.answers)).toEqual([0, 0, 4]);
    const drivers = await app.http<{ drivers: { dimension: string; correlation: number }[] }>(
      'GET',
      `/insight/drivers?scope=property&id=TPL01&${query}`,
    );
    expect(drivers.body.drivers).toEqual([expect.objectContaining({ dimension: 'tangibles', pairs: 4 })]);
    expect(drivers.body.drivers[0].correlation).toBeGreaterThan(0.9);
  });

  it('should refuse a brand or property template with a 400 naming scopeId when it names no brand or property', async () => {
    for (const scope of ['brand', 'property'])
      expect(
        await app.http('POST', '/templates', {
          body: {
            templateId: 'unscoped',
            scope,
            questions: [{ id: 'recommend', kind: 'nps', required: true, text: { en: 'Recommend us?' } }],
          },
        }),
      ).toMatchObject({
        status: 400,
        body: {
          code: 'VALIDATION_FAILED',
          errors: [
            {
              path: 'scopeId',
              reason: 'scopeId must be a brand or property code (required for a brand or property template)',
            },
          ],
        },
      });
  });

  it('should refuse a template whose question text is no text with a 400 naming it, not fail with a 500', async () => {
    expect(
      await app.http('POST', '/templates', {
        body: {
          templateId: 'post-stay',
          scope: 'chain',
          questions: [{ id: 'recommend', kind: 'nps', required: true, text: { en: 5 } }],
        },
      }),
    ).toMatchObject({
      status: 400,
      body: {
        code: 'VALIDATION_FAILED',
        errors: [{ path: 'questions.0.text', reason: 'text.en must be a text of 1 to 400 characters' }],
      },
    });
  });

  it('should refuse a date that is no calendar day with a 400 naming date', async () => {
    for (const path of ['/insight/nps', '/insight/nps/trend', '/insight/drivers'])
      for (const date of ['2025-13-45', '2025-02-29', '2025-04-31', '0000-01-15'])
        expect(await app.http('GET', `${path}?scope=chain&period=week&date=${date}`)).toMatchObject({
          status: 400,
          body: {
            code: 'VALIDATION_FAILED',
            errors: [
              {
                path: 'date',
                reason: 'date must be a calendar date as YYYY-MM-DD, in the years 1900 to 2199',
              },
            ],
          },
        });
    const leapDay = await app.http('GET', '/insight/nps?scope=chain&period=week&date=2024-02-29');
    expect(leapDay).toMatchObject({ status: 200, body: { from: '2024-02-26', to: '2024-03-03' } });
  });

  it("should default to the property's local today, and to UTC's for a brand or the chain", async () => {
    // 07:00 on Monday 1 September in Tokyo, still Sunday 31 August in UTC.
    const mondayMorningInTokyo = new Date('2025-08-31T22:00:00Z');
    const guest = app.guest();
    const stay = app.stay(guest.data.guestId, { propertyId: 'TYO01', timeZone: 'Asia/Tokyo' });
    await app.feed(guest, stay);
    await app.sendDue(mondayMorningInTokyo);
    const invited = await app.invitedFor(stay.data.stayId);
    app.setClock(mondayMorningInTokyo);
    try {
      expect((await app.answer(invited.token, { recommend: 10, satisfaction: 5 })).status).toBe(201);
      const manager = { roles: ['property-manager' as const], properties: ['TYO01'] };
      const week = await app.http('GET', '/insight/nps?scope=property&id=TYO01&period=week', manager);
      expect(week.body).toMatchObject({ from: '2025-09-01', to: '2025-09-07', answers: 1, nps: 100 });
      const month = await app.http('GET', '/insight/nps?scope=property&id=TYO01&period=month', manager);
      expect(month.body).toMatchObject({ from: '2025-09-01', to: '2025-09-30', answers: 1 });
      const chain = await app.http('GET', '/insight/nps?scope=chain&period=week');
      expect(chain.body).toMatchObject({ from: '2025-08-25', to: '2025-08-31' });
    } finally {
      jest.restoreAllMocks();
    }
  });

  it("should answer on one connection, the transaction's, with a template of the property", async () => {
    await app.http('POST', '/templates', {
      body: {
        templateId: 'post-stay',
        scope: 'property',
        scopeId: 'POOL01',
        questions: [{ id: 'recommend', kind: 'nps', required: true, text: { en: 'Recommend us?' } }],
      },
    });
    const invited = await invite('POOL01');
    // One connection: an answer that took a second for its template would wait for its own to come free,
    // as a burst of answers as large as the pool waits for each other's.
    await app.restart(0, { ...SEND_ALL_DAY, DATABASE_POOL_SIZE: '1' });
    expect((await app.answer(invited.token, { recommend: 9 })).status).toBe(201);
  });
});
