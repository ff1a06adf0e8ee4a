import { DataSource } from 'typeorm';
import { ProfilesHarness } from './profiles-harness';

interface PlanNode {
  'Relation Name'?: string;
  'Actual Loops': number;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

/** The statements as the service sends them, run again under `explain analyze` to count what they read. */
describe('profiles reads for a page of the review queue what the page shows (real Postgres)', () => {
  let h: ProfilesHarness;
  const PAGE_SIZE = 5;

  beforeAll(async () => {
    h = await ProfilesHarness.create('profiles_review_queue_reads');
    // Twelve suggestions at the head of the queue between guests who stayed at AMS01, and a long tail of
    // weaker ones between guests known only at LON02: what a manager of AMS01 pages through.
    await h.db.query(
      `with pair as (
         select n, gen_random_uuid() as a, gen_random_uuid() as b, case when n <= 12 then 'AMS01' else 'LON02' end as at
         from generate_series(1, 3012) n),
       guest as (insert into guests (id) select a from pair union all select b from pair returning id),
       stay as (
         insert into stays (id, guest_id, property_id, reservation_id, arrival, departure, nights)
         select gen_random_uuid(), g, at, gen_random_uuid()::text, '2026-01-01', '2026-01-03', 2
         from pair cross join lateral (values (a), (b)) v(g))
       insert into match_suggestions (id, guest_a, guest_b, rule, score, created_at)
       select gen_random_uuid(), least(a, b), greatest(a, b), 'phone-only', case when n <= 12 then 0.9 else 0.6 end,
              timestamptz '2026-01-01' + n * interval '1 second'
       from pair`,
    );
    // As autovacuum would have by now (the development machines run without it).
    await h.db.query('analyze guests, stays, reservations, match_suggestions');
  });

  afterAll(() => h?.close());

  /** What the service sends to Postgres about suggestions while `act` runs, with the parameters. */
  async function statementsDuring(act: () => Promise<unknown>): Promise<[string, unknown[]][]> {
    const query = jest.spyOn(h.service.app.get(DataSource), 'query');
    try {
      await act();
      return query.mock.calls
        .filter(([sql]) => sql.includes('match_suggestions'))
        .map(([sql, parameters]) => [sql, (parameters as unknown[] | undefined) ?? []]);
    } finally {
      query.mockRestore();
    }
  }

  /** How often the statement reads a guest's stays or bookings at most: once for each suggestion it probes. */
  async function probesOf(sql: string, parameters: unknown[]): Promise<number> {
    const [row] = await h.db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `explain (analyze, format json) ${sql}`,
      parameters,
    );
    const scans = nodesOf(row['QUERY PLAN'][0].Plan).filter((node) =>
      ['stays', 'reservations'].includes(node['Relation Name'] ?? ''),
    );
    return Math.max(0, ...scans.map((node) => node['Actual Loops']));
  }

  it('should probe the stays and bookings of no more suggestions than a property-scoped page shows, the last page included', async () => {
    const token = h.token(['property-manager'], ['AMS01']);
    type QueuePage = { total: number; items: unknown[]; nextCursor: string | null };
    const pages: QueuePage[] = [];
    const probes: number[] = [];
    let cursor: string | null = null;
    do {
      const after: string = cursor ? `&cursor=${cursor}` : '';
      let page: QueuePage | undefined;
      const sent = await statementsDuring(async () => {
        page = (await h.http<QueuePage>('GET', `/review-queue?pageSize=${PAGE_SIZE}${after}`, { token }))
          .body;
      });
      expect(sent).not.toEqual([]);
      for (const [sql, parameters] of sent) probes.push(await probesOf(sql, parameters));
      pages.push(page!);
      cursor = page!.nextCursor;
    } while (cursor);

    expect(pages.map((page) => [page.total, page.items.length])).toEqual([
      [12, 5],
      [12, 5],
      [12, 2],
    ]);
    // A page walks the queue in order and stops once it is full (one more says whether a next follows),
    // and the last one stops at the last suggestion in scope: the tail of 3,000 is never probed.
    expect(Math.max(...probes)).toBeLessThanOrEqual(PAGE_SIZE + 1);
  });
});
