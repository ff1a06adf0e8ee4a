import { ArrayNotEmpty, IsInt, IsString, Matches, Max, Min, MinLength, ValidateBy } from 'class-validator';
import {
  BACKGROUND_NICENESS,
  BaseServiceConfig,
  EnvList,
  EnvNumber,
  HttpsInProduction,
  NotDevSecretInProduction,
} from '@loyalty/config';
import { SEND_HOURS } from '../domain/invitation-timing';

const wholeBetween = (min: number, max: number, unit: string) => [
  IsInt({ message: `$property must be a whole number of ${unit} between ${min} and ${max}` }),
  Min(min, { message: `$property must be a whole number of ${unit} between ${min} and ${max}` }),
  Max(max, { message: `$property must be a whole number of ${unit} between ${min} and ${max}` }),
];
const Whole =
  (min: number, max: number, unit: string): PropertyDecorator =>
  (target, key) => {
    EnvNumber()(target, key);
    for (const rule of wholeBetween(min, max, unit)) rule(target, key);
  };

// A window that ends before it starts would silently send nothing at all.
const NotBeforeFirstSendHour = (): PropertyDecorator =>
  ValidateBy({
    name: 'notBeforeFirstSendHour',
    validator: {
      validate: (value: unknown, args) =>
        Number(value) >= (args?.object as SurveysConfig).SURVEYS_SEND_FIRST_HOUR,
      defaultMessage: () => '$property must not be before SURVEYS_SEND_FIRST_HOUR',
    },
  });

/** Signs survey links when SURVEYS_TOKEN_SECRET is not set; development only, refused in production. */
export const DEV_SURVEYS_TOKEN_SECRET = 'dev-only-survey-token-secret-change-me';

export class SurveysConfig extends BaseServiceConfig {
  override SERVICE_NAME = 'surveys';
  override HTTP_PORT = 3003;
  override DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/surveys';
  override PROCESS_NICENESS = BACKGROUND_NICENESS;

  /** HMAC secret that signs survey links; changing it invalidates every link sent. */
  @IsString({ message: '$property must be at least 16 characters' })
  @MinLength(16, { message: '$property must be at least 16 characters' })
  @NotDevSecretInProduction(DEV_SURVEYS_TOKEN_SECRET)
  SURVEYS_TOKEN_SECRET = DEV_SURVEYS_TOKEN_SECRET;

  /** How long a survey link works after the invitation is sent. */
  @Whole(1, 90, 'days')
  SURVEYS_TOKEN_TTL_DAYS = 14;

  /** How often due invitations are sent; 0 switches the scheduler off (tests drive it over HTTP). */
  @Whole(0, 3_600_000, 'milliseconds')
  SURVEYS_SCHEDULER_INTERVAL_MS = 2_000;

  /**
   * How often skipped invitations still under a guest merged away or erased are looked for, and moved
   * (`SkippedInvitationsRepair`): pods of a version before migration 1760000004500 write them until they
   * stop. 0 looks only at start-up.
   */
  @Whole(0, 86_400_000, 'milliseconds')
  SURVEYS_SKIPPED_REPAIR_INTERVAL_MS = 600_000;

  /** First local hour (property time zone) invitations go out in; none are sent at night. */
  @Whole(0, 23, 'hours')
  SURVEYS_SEND_FIRST_HOUR: number = SEND_HOURS.earliest;

  /** Last local hour invitations go out in: 20 sends until 20:59. A demo sets 0 to 23 to send at once. */
  @Whole(0, 23, 'hours')
  @NotBeforeFirstSendHour()
  SURVEYS_SEND_LAST_HOUR: number = SEND_HOURS.latest;

  /**
   * How long past its due time an invitation waits for a guest surveys has not heard of yet (the stay can
   * be handled before the guest's registration); then it is skipped as `unknown-guest`. 0 waits not at all.
   */
  @Whole(0, 720, 'hours')
  SURVEYS_UNKNOWN_GUEST_GRACE_HOURS = 24;

  /**
   * How long after check-out a stay recorded is still surveyed; one recorded later (a back-fill) is
   * skipped as `too-late`, rather than surveyed at once about a stay long past. 0 surveys every stay.
   */
  @Whole(0, 365, 'days')
  SURVEYS_MAX_DAYS_AFTER_CHECKOUT = 30;

  /** Recontact window of brands without their own: no second invitation within it. */
  @Whole(0, 365, 'days')
  SURVEYS_RECONTACT_DAYS = 30;

  /** Rate plans of complimentary and staff stays, which are never surveyed. */
  @EnvList()
  @ArrayNotEmpty({ message: '$property must list at least one rate plan' })
  @Matches(/^[A-Za-z0-9._-]+$/, {
    each: true,
    message: '$property must be a comma-separated list of rate plans',
  })
  SURVEYS_EXCLUDED_RATE_PLANS: string[] = ['COMP', 'STAFF', 'HOUSE'];

  /**
   * Where the guest opens the survey; the token is appended. https:// in production: over plain http the
   * token, the guest's credential, crosses the network readable by anyone on the way.
   */
  @Matches(/^https?:\/\/\S+$/, { message: '$property must be an http:// or https:// URL' })
  @HttpsInProduction()
  SURVEYS_LINK_BASE_URL = 'http://127.0.0.1:3003/survey/';
}

/**
 * The key of the hashes an erased guest's stay ids are replaced with (`erasedStayOf`): the token secret,
 * which every deployment sets already. Once it changes, a stay of an erased guest recorded again no longer
 * finds its invitation: it gets a second one, skipped as erased (the guest is), never a survey.
 */
export const erasureKeyOf = (config: SurveysConfig): string => config.SURVEYS_TOKEN_SECRET;
