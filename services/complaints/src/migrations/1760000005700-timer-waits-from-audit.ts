import type { MigrationInterface, QueryRunner } from 'typeorm';

interface LiveTimer {
  id: string;
  complaintId: string;
  state: 'running' | 'paused';
  startedAt: Date;
}

interface WaitLine {
  action: 'await-guest' | 'resume';
  at: Date;
}

/**
 * Gives the live resolution timers stored before `1760000005600` their waits, read from their complaints'
 * audit trails: each `await-guest` since the timer started paused it, each `resume` started it again. Those
 * are the times the timer itself stopped and started, in the same transactions. Left as they were (null,
 * re-timed by the old rule):
 * - a timer whose complaint was reclassified since it started: a reclassification can set a paused timer
 *   running with no `resume` line, so the trail no longer says when its clock stood still;
 * - a breached timer: a reclassification leaves it as it is;
 * - one whose waits, so read, do not agree with its state (one open exactly while paused).
 * The timers are locked while their trails are read: an instance of the previous version pausing or
 * resuming one meanwhile (it keeps no waits) waits, and adds its audit line after.
 */
export class TimerWaitsFromAudit1760000005700 implements MigrationInterface {
  name = 'TimerWaitsFromAudit1760000005700';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timers: LiveTimer[] = await queryRunner.query(`
      select t.id, t.complaint_id as "complaintId", t.state, t.started_at as "startedAt"
      from sla_timers t
      where t.kind = 'resolution' and t.waits is null and t.breached_at is null
        and t.state in ('running', 'paused')
        and not exists (
          select 1 from complaint_audit a
          where a.complaint_id = t.complaint_id and a.action = 'reclassify' and a.at >= t.started_at
        )
      for update of t`);
    for (const timer of timers) {
      const lines: WaitLine[] = await queryRunner.query(
        `select action, at from complaint_audit
         where complaint_id = $1 and at >= $2 and action in ('await-guest', 'resume')
         order by at, id`,
        [timer.complaintId, timer.startedAt],
      );
      const waits = waitsOf(lines);
      const open = waits.filter((wait) => wait.to === null).length;
      if (open !== (timer.state === 'paused' ? 1 : 0)) continue;
      await queryRunner.query(`update sla_timers set waits = $2::jsonb where id = $1`, [
        timer.id,
        JSON.stringify(waits),
      ]);
    }
  }

  async down(): Promise<void> {
    // The waits read from the trail are the ones the timers would have kept: nothing to undo.
  }
}

function waitsOf(lines: WaitLine[]): { from: string; to: string | null }[] {
  const waits: { from: string; to: string | null }[] = [];
  for (const { action, at } of lines) {
    const last = waits.at(-1);
    if (action === 'await-guest' && (!last || last.to !== null))
      waits.push({ from: at.toISOString(), to: null });
    if (action === 'resume' && last && last.to === null) last.to = at.toISOString();
  }
  return waits;
}
