import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Migration `1760000004000` marked every stay credited before it as earning, and pods of the release before
 * it wrote them so while it rolled out. A stay of a channel that earns nothing (`ota`, `wholesale`) was then
 * earning for the revenue added to it later: a late charge paid base points and tier bonus, and a nights
 * correction counted towards the tier. Such a stay was credited with no points, no base points and, as the
 * programme does not count those channels for qualification, no stay: an earning stay counts one, unless a
 * correction has set its nights to 0 since, which makes it count none too. Those are left as they are, as
 * are all where a programme counted such channels: the two cannot be told apart.
 */
export class NonEarningStaysCreditedBefore1760000015000 implements MigrationInterface {
  name = 'NonEarningStaysCreditedBefore1760000015000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `update credited_stays set earning = false
       where earning and stays = 0 and points = 0 and base_points = 0 and nights_adjusted_at is null`,
    );
  }

  // Nothing to undo: the stays it corrects earned nothing before it either.
  async down(): Promise<void> {}
}
