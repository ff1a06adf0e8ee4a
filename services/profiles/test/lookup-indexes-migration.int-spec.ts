import { randomUUID } from 'node:crypto';
import { ProfilesHarness } from './profiles-harness';

/** The statements as the services send them, whose plans must not read their tables whole. */
describe('profiles lookups by stay, survivor and pair (migration 1760000004100)', () => {
  let h: ProfilesHarness;

  beforeAll(async () => {
    h = await ProfilesHarness.create('profiles_lookup_indexes');
  });

  afterAll(() => h?.close());

  it("should read a stay's latest nights posting through the stay's adjustments alone", async () => {
    const plan = await h.db.planOf(
      `select x.nights, x.adjusted_at from stay_adjustments x
       where x.property_id = $1 and x.reservation_id = $2 and x.nights is not null
       order by x.adjusted_at desc, x.adjustment_key collate "C" desc limit 1`,
      ['AMS01', 'R-1'],
    );
    expect(plan.indexes).toContain('stay_adjustments_of_stay');
  });

  it('should point the guests merged into a merged guest on at the survivor through an index', async () => {
    const plan = await h.db.planOf(
      'update guests set merged_into = $1::uuid, updated_at = now() where merged_into = $2::uuid',
      [randomUUID(), randomUUID()],
    );
    expect(plan.indexes).toContain('guests_merged_into');
  });

  it("should find a merged guest's suggestions whichever of the pair they are through indexes", async () => {
    // Among open suggestions, as a chain has them waiting for review: in an empty table, reading every open
    // one through the review queue's index (migration 1760000004200) would cost the planner nothing.
    await h.db.query(
      `with pair as (select gen_random_uuid() as a, gen_random_uuid() as b from generate_series(1, 500)),
       inserted as (insert into guests (id) select a from pair union all select b from pair)
       insert into match_suggestions (id, guest_a, guest_b, rule, score)
       select gen_random_uuid(), least(a, b), greatest(a, b), 'phone-only', 0.6 from pair`,
    );
    await h.db.query('analyze guests, match_suggestions');
    const plan = await h.db.planOf(
      `delete from match_suggestions where status = 'open' and (guest_a = $2::uuid or guest_b = $2::uuid)
       and $1::uuid is not null`,
      [randomUUID(), randomUUID()],
    );
    expect(plan.indexes).toEqual(expect.arrayContaining(['match_suggestions_second_guest']));
  });
});
