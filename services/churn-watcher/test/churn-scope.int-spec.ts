import { randomUUID } from 'node:crypto';
import type { TokenClaims } from '@loyalty/auth';
import { ChurnStage } from './churn-stage';

type AlertPage = { items: { guestId: string }[]; total: number };

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

  it('should list to a property-scoped caller only the alerts of guests who stayed at its properties, and count only those', async () => {
    const amsterdamOnly = await alerts(manager(amsterdam));
    expect(amsterdamOnly.status).toBe(200);
    expect(guestIds(amsterdamOnly.body)).toEqual([amsterdamGuest, bothGuest].sort());
    expect(amsterdamOnly.body.total).toBe(2);

    const firstPage = await alerts(manager(amsterdam), 'limit=1&offset=0');
    expect(firstPage.body).toMatchObject({ total: 2, items: [expect.any(Object)] });

    const both = await alerts(manager(london, amsterdam));
    expect(guestIds(both.body)).toEqual([amsterdamGuest, londonGuest, bothGuest].sort());
    expect(both.body.total).toBe(3);

    expect((await alerts(manager())).body).toEqual({ items: [], total: 0, limit: 500, offset: 0 });
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
      expect(page.body.total).toBe(open);
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

  it('should document the paging parameters of the alert and model lists', async () => {
    type Parameter = { name: string; in: string };
    const docs = await churn.http<{ paths: Record<string, { get: { parameters: Parameter[] } }> }>(
      'GET',
      '/docs-json',
    );
    for (const path of ['/churn/alerts', '/churn/models'])
      expect(docs.body.paths[path].get.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(
        expect.arrayContaining(['query:limit', 'query:offset']),
      );
  });

  it('should refuse paging out of bounds with 400 VALIDATION_FAILED naming each parameter', async () => {
    const refused = await churn.http('GET', '/churn/alerts?limit=501&offset=-1&sort=newest', manager('*'));
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
    const refused = await churn.http('GET', '/churn/alerts?offset=10000000000000000000', manager('*'));
    expect(refused).toMatchObject({
      status: 400,
      body: {
        code: 'VALIDATION_FAILED',
        errors: [{ path: 'offset', reason: 'offset must not be greater than 1000000' }],
      },
    });
  });
});
