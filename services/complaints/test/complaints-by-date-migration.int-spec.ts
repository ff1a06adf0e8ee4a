import { ComplaintsStage } from './complaints-stage';

/** Chain-wide reads by date, as the list and the insights send them, whose plans must not read every complaint. */
describe('complaints by date (migration 1760000005900)', () => {
  let c: ComplaintsStage;

  beforeAll(async () => {
    c = await ComplaintsStage.create('complaints_by_date');
    await c.startInstance();
  });

  afterAll(() => c?.close());

  it('should page every complaint newest first in index order, without sorting them', async () => {
    expect(
      await c.stage.db.planOf('select id from complaints order by opened_at desc, id desc limit $1', [51]),
    ).toEqual({ indexes: ['complaints_opened'], sorts: false });
  });

  it.each(['opened_at', 'resolved_at'])(
    'should read the complaints whose %s is near a window, chain-wide, through an index',
    async (instant) => {
      const plan = await c.stage.db.planOf(
        `select count(*) from complaints c
         where c.${instant} >= ($1::date - 1)::timestamp at time zone 'UTC'
           and c.${instant} < ($2::date + 1)::timestamp at time zone 'UTC'
           and ($3::text[] is null or c.property_id = any($3))`,
        ['2026-09-01', '2026-12-01', null],
      );
      expect(plan.indexes).toEqual([instant === 'opened_at' ? 'complaints_opened' : 'complaints_resolved']);
    },
  );
});
