import { loadConfig } from '@loyalty/config';
import { dataSourceOptions, openDataSource } from '@loyalty/persistence';
import type { DataSource, QueryRunner } from 'typeorm';
import { ProfilesConfig } from '../config/profiles.config';
import { normaliseName } from '../domain/normalise';
import { EmailKeysInNfc1760000003300, emailsTypedToNfc } from '../migrations/1760000003300-email-keys-in-nfc';
import {
  earlierNormalForm,
  NameKeysInEveryScript1760000003400,
} from '../migrations/1760000003400-name-keys-in-every-script';
import {
  NameKeysWithoutVowelMarks1760000003500,
  withVowelMarks,
} from '../migrations/1760000003500-name-keys-without-vowel-marks';
import { FullNameKeys1760000003700, missingFullNameKeys } from '../migrations/1760000003700-full-name-keys';
import { nameRekeying, rekeyIdentities, type Rekeying } from '../migrations/rekey-identities';

/**
 * The earlier ways personal data was keyed as evidence, each moved to the current way, in this order for each
 * guest. The migrations that changed the keying re-keyed the data on file once, as the new version started;
 * pods of the earlier version still running during the rollout kept writing keys the earlier way, and a stay
 * bearing that data would then miss the guest. A step whose earlier way made no key of the data (a name in
 * another script) writes the current key where it is missing.
 */
const EARLIER_KEYINGS = {
  emailsAsTyped: emailsTypedToNfc,
  // Newest first: the keys the version just before wrote are moved by its step, not made again by an older one.
  namesWithVowelMarks: nameRekeying(withVowelMarks, normaliseName),
  namesInLatinLettersOnly: nameRekeying(earlierNormalForm, normaliseName),
  // Pods of the version before full-name keys made guests without one.
  fullNamesMissing: missingFullNameKeys,
} satisfies Record<string, Rekeying>;

/** The migrations that changed the keying: the refresh moves keys to the way the last of them keys. */
const KEYING_MIGRATIONS = [
  EmailKeysInNfc1760000003300,
  NameKeysInEveryScript1760000003400,
  NameKeysWithoutVowelMarks1760000003500,
  FullNameKeys1760000003700,
].map((Migration) => new Migration().name);

/**
 * Re-keys, the current way, the evidence that the data on file gives: run once every pod runs this version.
 * Re-runnable, and safe beside the running service (each batch locks its guests, see `rekeyIdentities`); a
 * batch run again after a deadlock is said through `warn` (stderr by default). Returns the guests whose keys
 * moved, per earlier keying.
 */
export async function refreshIdentityKeys(
  dataSource: DataSource,
  options: { warn?: (message: string) => void } = {},
): Promise<Record<keyof typeof EARLIER_KEYINGS, number>> {
  const runner = dataSource.createQueryRunner();
  try {
    await assertMigrated(runner);
    return await rekeyIdentities(runner, EARLIER_KEYINGS, options);
  } finally {
    await runner.release();
  }
}

/** Run before the new version ever started, it would re-key data its migrations are still to change. */
async function assertMigrated(runner: QueryRunner): Promise<void> {
  const ran: { name: string }[] = (await runner.hasTable('migrations'))
    ? await runner.query('select name from migrations where name = any($1::text[])', [KEYING_MIGRATIONS])
    : [];
  const pending = KEYING_MIGRATIONS.filter((name) => !ran.some((row) => row.name === name));
  if (pending.length)
    throw new Error(
      `migrations ${pending.join(', ')} have not run on this database: start profiles of this version first`,
    );
}

/** The refresh's one connection to the profiles database at `url`: it runs no migrations of its own. */
export function openForRefresh(url: string): Promise<DataSource> {
  return openDataSource(
    dataSourceOptions({
      url,
      poolSize: 1,
      applicationName: 'profiles-refresh-identity-keys',
      entities: [],
      migrations: [],
      migrateOnStart: false,
    }),
  );
}

async function main(): Promise<void> {
  const dataSource = await openForRefresh(loadConfig(ProfilesConfig).DATABASE_URL);
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
