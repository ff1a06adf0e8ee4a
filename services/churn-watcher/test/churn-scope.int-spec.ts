import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { TokenClaims } from '@loyalty/auth';
import type { QueryPlan } from '@loyalty/testing';
import { parseAlertCursor, type AlertPosition } from '../src/watch/alert-cursor';
import { EpisodeStore } from '../src/watch/episode-store';
import { ChurnStage } from './churn-stage';

type AlertPage = { items: { id: string; guestId: string }[]; nextCursor: string | null };

describe('churn-watcher property scope (real broker and Postgres)', () => {
  let churn: ChurnStage;
  // Properties of this run only: the regulars stay at the sample property, which is neither.
  const run = randomUUID().slice(0, 8);
  const [amsterdam, london] = [`AMS-${run}`, `LON-${run}`];
  const [amsterdamGuest, londonGuest, bothGuest] = [randomUUID(), randomUUID(), randomUUID()];

  const manager = (...properties: string[]): TokenClaims => ({
    sub: 'manager-1',
    roles: ['property-manager'],
    properties,
  });
  const alerts = (caller: TokenClaims, query = 'limit=500') =>
    churn.http<AlertPage>('GET', `/churn/alerts?${query}`, caller);
  const guestIds = (page: AlertPage) => page.items.map((item) => item.guestId).sort();

  beforeAll(async () => {
    churn = await ChurnStage.start('churn_scope');
    await churn.regulars([20, 30, 40], 300);
    // Every 30 days until day 300: each lapses by day 360. The third guest moved from London to Amsterdam.
    await churn.send(
      ...[210, 240, 270, 300].flatMap((day) => [
        churn.stay(amsterdamGuest, day, { propertyId: amsterdam }),
        churn.stay(londonGuest, day, { propertyId: london }),
        churn.stay(bothGuest, day, { propertyId: day < 300 ? london : amsterdam }),
      ]),
    );
    await churn.at(360).runDue();
    await Promise.all(
      [amsterdamGuest, londonGuest, bothGuest].map((guestId) =>
        churn.awaitRecords('visit-frequency-dropped', 1, guestId),
      ),
    );
  });

  afterAll(async () => {
    await churn.close();
  });

  it('should list to a property-scoped caller only the alerts of guests who stayed at its properties, page by page', async () => {
    const amsterdamOnly = await alerts(manager(amsterdam));
    expect(amsterdamOnly.status).toBe(200);
    expect(guestIds(amsterdamOnly.body)).toEqual([amsterdamGuest, bothGuest].sort());
    expect(amsterdamOnly.body.nextCursor).toBeNull();

    const firstPage = await alerts(manager(amsterdam), 'limit=1');
    expect(firstPage.body).toMatchObject({ items: [expect.any(Object)], nextCursor: expect.any(String) });
    const secondPage = await alerts(manager(amsterdam), `limit=1&cursor=${firstPage.body.nextCursor}`);
    expect(secondPage.body).toMatchObject({ items: [expect.any(Object)], nextCursor: null });
    expect([...guestIds(firstPage.body), ...guestIds(secondPage.body)].sort()).toEqual(
      guestIds(amsterdamOnly.body),
    );

    const both = await alerts(manager(london, amsterdam));
    expect(guestIds(both.body)).toEqual([amsterdamGuest, londonGuest, bothGuest].sort());

    expect((await alerts(manager())).body).toEqual({ items: [], nextCursor: null });
  });

  it("should answer 403 PROPERTY_OUT_OF_SCOPE when the guest never stayed at the caller's properties, or nowhere", async () => {
    const outside = await churn.http('GET', `/churn/guests/${londonGuest}`, manager(amsterdam));
    expect(outside).toMatchObject({ status: 403, body: { code: 'PROPERTY_OUT_OF_SCOPE' } });

    for (const guestId of [amsterdamGuest, bothGuest]) {
      const inside = await churn.http('GET', `/churn/guests/${guestId}`, manager(amsterdam));
      expect(inside).toMatchObject({
        status: 200,
        body: { guestId, openAlert: { riskLevel: expect.any(String) } },
      });
    }
    // An unknown guest is one more guest who never stayed there: the scoped caller learns nothing of them.
    expect(await churn.http('GET', `/churn/guests/${randomUUID()}`, manager(amsterdam))).toMatchObject({
      status: 403,
      body: { code: 'PROPERTY_OUT_OF_SCOPE' },
    });
    expect(await churn.http('GET', `/churn/guests/${randomUUID()}`, manager('*'))).toMatchObject({
      status: 404,
      body: { code: 'GUEST_NOT_FOUND' },
    });
  });

  it('should show a chain-wide caller every open alert, as before', async () => {
    const [{ open }] = await churn.stage.db.query<{ open: number }>(
      'select count(*)::int as open from churn_episodes where closed_at is null',
    );
    const wholeChain: TokenClaims[] = [
      { sub: 'admin-1', roles: ['chain-admin'], properties: [] },
      { sub: 'analyst-1', roles: ['analyst'], properties: ['*'] },
      manager('*'),
    ];
    for (const caller of wholeChain) {
      const page = await alerts(caller);
      expect(page.body.items).toHaveLength(open);
      expect(guestIds(page.body)).toEqual(expect.arrayContaining([amsterdamGuest, londonGuest, bothGuest]));
      expect((await churn.http('GET', `/churn/guests/${londonGuest}`, caller)).status).toBe(200);
    }
    // The regulars at the sample property lapse too: the chain sees more than the two properties.
    expect(open).toBeGreaterThan(3);
  });

  it('should keep the chain-wide models and operations to chain-wide callers, and every route to its roles', async () => {
    const scopedService: TokenClaims = { sub: 'job-runner', roles: ['service'], properties: [amsterdam] };
    expect(await churn.http('GET', '/churn/models', manager(amsterdam))).toMatchObject({
      status: 403,
      body: { code: 'PROPERTY_OUT_OF_SCOPE' },
    });
    for (const operation of ['run-due', 'run-now']) {
      expect(await churn.http('POST', `/churn/operations/${operation}`, scopedService)).toMatchObject({
        status: 403,
        body: { code: 'PROPERTY_OUT_OF_SCOPE' },
      });
    }
    expect((await churn.http('GET', '/churn/models', manager('*'))).status).toBe(200);
    expect(await churn.http('POST', '/churn/operations/run-due', manager('*'))).toMatchObject({
      status: 403,
      body: { code: 'ROLE_REQUIRED' },
    });
    const frontDesk: TokenClaims = { sub: 'desk-1', roles: ['front-desk'], properties: [amsterdam] };
    expect(await alerts(frontDesk)).toMatchObject({ status: 403, body: { code: 'ROLE_REQUIRED' } });
  });

  it('should document the paging parameters of the alert list (by cursor) and the model list (by offset)', async () => {
    type Parameter = { name: string; in: string };
    const docs = await churn.http<{ paths: Record<string, { get: { parameters: Parameter[] } }> }>(
      'GET',
      '/docs-json',
    );
    const parameters = (path: string) =>
      docs.body.paths[path].get.parameters.map((p) => `${p.in}:${p.name}`).sort();
    expect(parameters('/churn/alerts')).toEqual(['query:cursor', 'query:limit']);
    expect(parameters('/churn/models')).toEqual(['query:limit', 'query:offset']);
  });

  it('should refuse paging out of bounds with 400 VALIDATION_FAILED naming each parameter', async () => {
    const refused = await churn.http('GET', '/churn/models?limit=501&offset=-1&sort=newest', manager('*'));
    expect(refused).toMatchObject({
      status: 400,
      body: {
        code: 'VALIDATION_FAILED',
        errors: [
          { path: 'sort', reason: 'property sort should not exist' },
          { path: 'limit', reason: 'limit must not be greater than 500' },
          { path: 'offset', reason: 'offset must not be less than 0' },
        ],
      },
    });
  });

  it('should refuse an offset past a million with 400 VALIDATION_FAILED, not reach Postgres with it', async () => {
    const refused = await churn.http('GET', '/churn/models?offset=10000000000000000000', manager('*'));
    expect(refused).toMatchObject({
      status: 400,
      body: {
        code: 'VALIDATION_FAILED',
        errors: [{ path: 'offset', reason: 'offset must not be greater than 1000000' }],
      },
    });
  });

  it('should refuse a cursor the alert list did not hand out, and an offset, with 400 VALIDATION_FAILED', async () => {
    const cursorOf = (text: string) => Buffer.from(text).toString('base64url');
    for (const cursor of [
      'not-a-cursor',
      // Postgres cannot cast the instant: reaching it, the page would fail as a 500.
      cursorOf(`2031-02-30T03:00:00.000Z|${randomUUID()}`),
      // A complaints ranking's.
      cursorOf(`3|${randomUUID()}|2031-04-28T03:00:00.000Z`),
    ])
      expect(await alerts(manager('*'), `limit=501&cursor=${cursor}`)).toMatchObject({
        status: 400,
        body: {
          code: 'VALIDATION_FAILED',
          errors: [
            { path: 'limit', reason: 'limit must not be greater than 500' },
            { path: 'cursor', reason: 'cursor is not a nextCursor from this list' },
          ],
        },
      });
    // A client still paging by offset would otherwise get the first page again and again.
    expect(await alerts(manager('*'), 'offset=50')).toMatchObject({
      status: 400,
      body: {
        code: 'VALIDATION_FAILED',
        errors: [{ path: 'offset', reason: 'property offset should not exist' }],
      },
    });
  });

  it('should read a page of alerts, the first or one past a cursor, of the chain or some properties, in index order without sorting', async () => {
    /** The plan of each statement the store sends for the page. */
    const plansOfPage = async (scope: string[] | null, after: AlertPosition | null) => {
      const plans: QueryPlan[] = [];
      const explaining = {
        query: async (sql: string, parameters: unknown[]) => {
          plans.push(await churn.stage.db.planOf(sql, parameters));
          return [];
        },
      } as unknown as EntityManager;
      await churn.provider(EpisodeStore).page(explaining, scope, 50, after);
      return plans;
    };
    const after = parseAlertCursor((await alerts(manager('*'), 'limit=1')).body.nextCursor ?? '');
    expect(after).not.toBeNull();
    for (const scope of [null, [amsterdam, london]])
      for (const position of [null, after]) {
        const [plan, ...more] = await plansOfPage(scope, position);
        expect(more).toEqual([]);
        expect(plan.sorts).toBe(false);
        // Two ranges: the rest of the position's instant, then the older ones.
        const listRanges = plan.indexes.filter((index) => index === 'churn_episodes_open_newest_first');
        expect(listRanges).toHaveLength(2);
      }
  });

  it('should list every open alert exactly once to a caller paging while a scan opens more', async () => {
    const lapsing = [randomUUID(), randomUUID(), randomUUID()];
    await churn.send(
      ...[210, 240, 270, 300].flatMap((day) => lapsing.map((guestId) => churn.stay(guestId, day))),
    );
    const openBefore = (
      await churn.stage.db.query<{ id: string }>('select id from churn_episodes where closed_at is null')
    )
      .map((row) => row.id)
      .sort();
    // Enough for pages after the scan: the regulars lapsed too.
    expect(openBefore.length).toBeGreaterThan(4);
    // Pages of two: the last scan opened all its alerts at one instant, so most pages end within it.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: AlertPage = (await alerts(manager('*'), `limit=2${cursor ? `&cursor=${cursor}` : ''}`))
        .body;
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      if (seen.length === 2) {
        // The next day's scan opens the lapsing guests' alerts, newer than any listed.
        await churn.at(361).runDue();
        await Promise.all(
          lapsing.map((guestId) => churn.awaitRecords('visit-frequency-dropped', 1, guestId)),
        );
      }
    } while (cursor);
    expect([...seen].sort()).toEqual(openBefore);
  });
});
