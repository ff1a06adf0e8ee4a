import { loadConfig } from '@loyalty/config';
import { dataSourceOptions, openDataSource } from '@loyalty/persistence';
import type { DataSource, QueryRunner } from 'typeorm';
import { ProfilesConfig } from '../config/profiles.config';
import { EmailKeysInNfc1760000003300 } from '../migrations/1760000003300-email-keys-in-nfc';
import { NameKeysInEveryScript1760000003400 } from '../migrations/1760000003400-name-keys-in-every-script';

/**
 * The migrations that changed how personal data is keyed as evidence. Each re-keyed the data on file once,
 * as the new version started; pods of the earlier version still running during the rollout kept writing
 * keys the earlier way, and a stay bearing that data would then miss the guest.
 */
const KEYING_CHANGES = [new EmailKeysInNfc1760000003300(), new NameKeysInEveryScript1760000003400()];

/**
 * Re-keys, the current way, the evidence that the data on file gives: run once every pod runs this version.
 * Re-runnable, and safe beside the running service (each batch locks its guests, see `rekeyIdentities`).
 * Returns the guests whose keys moved, per keying change.
 */
export async function refreshIdentityKeys(dataSource: DataSource): Promise<Record<string, number>> {
  const runner = dataSource.createQueryRunner();
  try {
    await assertMigrated(runner);
    const rekeyed: Record<string, number> = {};
    for (const change of KEYING_CHANGES) rekeyed[change.name] = await change.rekey(runner);
    return rekeyed;
  } finally {
    await runner.release();
  }
}

/** Run before the new version ever started, it would re-key data its migrations are still to change. */
async function assertMigrated(runner: QueryRunner): Promise<void> {
  const names = KEYING_CHANGES.map((change) => change.name);
  const ran: { name: string }[] = (await runner.hasTable('migrations'))
    ? await runner.query('select name from migrations where name = any($1::text[])', [names])
    : [];
  const pending = names.filter((name) => !ran.some((row) => row.name === name));
  if (pending.length)
    throw new Error(
      `migrations ${pending.join(', ')} have not run on this database: start profiles of this version first`,
    );
}

async function main(): Promise<void> {
  const config = loadConfig(ProfilesConfig);
  const dataSource = await openDataSource(
    dataSourceOptions({
      url: config.DATABASE_URL,
      poolSize: 1,
      applicationName: 'profiles-refresh-identity-keys',
      entities: [],
      migrations: [],
      migrateOnStart: false,
    }),
  );
  try {
    console.log(JSON.stringify({ rekeyedGuests: await refreshIdentityKeys(dataSource) }));
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
