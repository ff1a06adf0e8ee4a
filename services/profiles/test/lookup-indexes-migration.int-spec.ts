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
    const plan = await h.db.planOf(
      `delete from match_suggestions where status = 'open' and (guest_a = $2::uuid or guest_b = $2::uuid)
       and $1::uuid is not null`,
      [randomUUID(), randomUUID()],
    );
    expect(plan.indexes).toEqual(expect.arrayContaining(['match_suggestions_second_guest']));
  });
});
