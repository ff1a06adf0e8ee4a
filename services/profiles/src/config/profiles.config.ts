import { IsInt, IsNumber, IsString, Matches, Max, Min } from 'class-validator';
import { BaseServiceConfig, EnvNumber, NotDevSecretInProduction } from '@loyalty/config';

/** Master key used when PROFILES_MASTER_KEY is not set; development only, refused in production. */
export const DEV_PROFILES_MASTER_KEY = Buffer.from('dev-only-insecure-master-key-32b').toString('base64');
/** Blind-index key used when PROFILES_BLIND_INDEX_KEY is not set; development only, refused in production. */
export const DEV_PROFILES_BLIND_INDEX_KEY = Buffer.from('dev-only-insecure-blind-index-k!').toString(
  'base64',
);

const BASE64_32_BYTES = /^[A-Za-z0-9+/]{43}=$/;
const ROOM_TYPE_TRAITS =
  /^([\w-]+=[a-z]+:[a-z-]+(\|[a-z]+:[a-z-]+)*)?(,[\w-]+=[a-z]+:[a-z-]+(\|[a-z]+:[a-z-]+)*)*$/;

export class ProfilesConfig extends BaseServiceConfig {
  override SERVICE_NAME = 'profiles';
  override HTTP_PORT = 3001;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/profiles';

  /** Wraps every guest's data key (AES-256-GCM): base64 of 32 random bytes. */
  @IsString({ message: '$property must be base64 of 32 bytes' })
  @Matches(BASE64_32_BYTES, { message: '$property must be base64 of 32 bytes' })
  @NotDevSecretInProduction(DEV_PROFILES_MASTER_KEY)
  PROFILES_MASTER_KEY = DEV_PROFILES_MASTER_KEY;

  /** HMAC key of the blind indexes (email, phone, names), so matching works on encrypted data. */
  @IsString({ message: '$property must be base64 of 32 bytes' })
  @Matches(BASE64_32_BYTES, { message: '$property must be base64 of 32 bytes' })
  @NotDevSecretInProduction(DEV_PROFILES_BLIND_INDEX_KEY)
  PROFILES_BLIND_INDEX_KEY = DEV_PROFILES_BLIND_INDEX_KEY;

  /** Score from which a match is applied (and two profiles merged) without review. */
  @EnvNumber()
  @IsNumber({}, { message: '$property must be a number between 0 and 1' })
  @Min(0, { message: '$property must be a number between 0 and 1' })
  @Max(1, { message: '$property must be a number between 0 and 1' })
  PROFILES_AUTO_MERGE_THRESHOLD = 0.85;

  /** Score from which a match is suggested to staff for review. */
  @EnvNumber()
  @IsNumber({}, { message: '$property must be a number between 0 and 1' })
  @Min(0, { message: '$property must be a number between 0 and 1' })
  @Max(1, { message: '$property must be a number between 0 and 1' })
  PROFILES_REVIEW_THRESHOLD = 0.5;

  /** Seconds a profile view stays in Redis (changes also evict it). */
  @EnvNumber()
  // Whole: Redis refuses `SET ... EX 1.5`, and every cache write would fail.
  @IsInt({ message: '$property must be a whole number of seconds' })
  @Min(1, { message: '$property must be a whole number of seconds' })
  PROFILES_CACHE_TTL_SECONDS = 300;

  /**
   * How often the RFM segments are recomputed, in milliseconds, a day at most (a timer cannot wait much
   * longer: Node runs a longer one every millisecond); 0 turns the job off.
   */
  @EnvNumber()
  @IsInt({ message: '$property must be a whole number of milliseconds between 0 and 86400000' })
  @Min(0, { message: '$property must be a whole number of milliseconds between 0 and 86400000' })
  @Max(86_400_000, { message: '$property must be a whole number of milliseconds between 0 and 86400000' })
  PROFILES_RFM_INTERVAL_MS = 3_600_000;

  /**
   * How often adjustments that came before their stay (or while it was being recorded) are applied, in
   * milliseconds; 0 turns the sweep off.
   */
  @EnvNumber()
  @IsInt({ message: '$property must be a whole number of milliseconds between 0 and 3600000' })
  @Min(0, { message: '$property must be a whole number of milliseconds between 0 and 3600000' })
  @Max(3_600_000, { message: '$property must be a whole number of milliseconds between 0 and 3600000' })
  PROFILES_ADJUSTMENT_SWEEP_MS = 10_000;

  /**
   * How often, in milliseconds, an instance announces again what a migration still owes (after a crash, or a
   * migration run after it started), a day at most; it does as it starts too. 0: only as it starts.
   */
  @EnvNumber()
  @IsInt({ message: '$property must be a whole number of milliseconds between 0 and 86400000' })
  @Min(0, { message: '$property must be a whole number of milliseconds between 0 and 86400000' })
  @Max(86_400_000, { message: '$property must be a whole number of milliseconds between 0 and 86400000' })
  PROFILES_OWED_ANNOUNCEMENTS_INTERVAL_MS = 60_000;

  /**
   * What each room type says about the room, for learning preferences from stays:
   * `ROOMTYPE=group:value|group:value,...` in the preference vocabulary.
   */
  @IsString()
  @Matches(ROOM_TYPE_TRAITS, { message: '$property must look like STD-K=bed:king,STD-T=bed:twin' })
  PROFILES_ROOM_TYPE_TRAITS = 'STD-K=bed:king,DLX-K=bed:king,STD-T=bed:twin';

  get usesDevMasterKey(): boolean {
    return this.PROFILES_MASTER_KEY === DEV_PROFILES_MASTER_KEY;
  }
}
