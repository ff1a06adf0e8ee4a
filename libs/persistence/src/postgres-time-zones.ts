import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * The time zones this Postgres knows. A statement converting instants with `at time zone` fails whole on one
 * zone Postgres does not know, however well Node knows it (their time-zone data come from different
 * releases, and the contracts check a stay's zone against Node's), so a zone is checked against this before
 * a service stores it for such statements. The list is read once (reading it means reading Postgres's zone
 * files: 30-50 ms) and read again when a zone is missing from it, as an upgrade of Postgres can have added
 * it, at most once a minute: a property whose every stay brings the missing zone would otherwise cost each
 * of its batches a read. Names compare regardless of case, as Postgres looks zones up (`europe/paris` is
 * Europe/Paris to `at time zone`, and to the contracts, which check zones with Intl) though its list spells
 * each one way.
 */
@Injectable()
export class PostgresTimeZones {
  static readonly REREAD_AFTER_MS = 60_000;
  private known?: Promise<ReadonlySet<string>>;
  private readAt = 0;

  /**
   * The zones of `zones` Postgres does not know. Asked after a statement failed on a zone
   * (`statementFailed`), the list is read again even though every zone is on it (at most once a minute
   * still): an upgrade of Postgres's zone data can also drop a zone it knew, which the list read before
   * would go on calling known for as long as the service runs.
   */
  async unknownOf(
    manager: EntityManager,
    zones: Iterable<string>,
    { statementFailed = false }: { statementFailed?: boolean } = {},
  ): Promise<string[]> {
    const asked = [...new Set(zones)];
    let known = await this.read(manager, false);
    const isKnown = (zone: string) => known.has(zone.toLowerCase());
    if (!statementFailed && asked.every(isKnown)) return [];
    if (Date.now() - this.readAt >= PostgresTimeZones.REREAD_AFTER_MS) known = await this.read(manager, true);
    return asked.filter((zone) => !isKnown(zone));
  }

  private async read(manager: EntityManager, again: boolean): Promise<ReadonlySet<string>> {
    if (again || !this.known) {
      this.readAt = Date.now();
      const reading = manager
        .query('select name from pg_timezone_names')
        .then(
          (rows: { name: string }[]): ReadonlySet<string> =>
            new Set(rows.map((row) => row.name.toLowerCase())),
        );
      // A failed read is not kept: the next batch reads again.
      reading.catch(() => {
        if (this.known === reading) this.known = undefined;
      });
      this.known = reading;
    }
    return this.known;
  }
}
