import {
  Instant,
  LocalDate,
  NestedArray,
  NonNegativeInt,
  NumberBetween,
  OneOf,
  Optional,
  PositiveNumber,
  Text,
} from '../../common/decorators';

export const CHURN_SIGNALS = [
  'detractor',
  'complaint-opened',
  'complaint-unresolved',
  'tier-downgrade',
] as const;

/** Something recent that makes a lapse more likely. */
export class ChurnSignalDto {
  /** What happened. */
  @OneOf(CHURN_SIGNALS)
  kind: (typeof CHURN_SIGNALS)[number];

  /** When it happened; for `complaint-opened`, when the complaint was opened or last reopened. */
  @Instant()
  at: string;

  /** The id of the survey, complaint or ledger entry behind the signal. */
  @Optional()
  @Text(100)
  reference?: string;
}

/** Why the model thinks the guest is lapsing. */
export class ChurnEvidenceDto {
  /** The guest's usual gap between stays, in days. */
  @PositiveNumber()
  expectedIntervalDays: number;

  /**
   * The guest's own mean gap between stays before the drop, in days (added in v1 as optional: older
   * producers did not send it).
   */
  @Optional()
  @PositiveNumber()
  previousCadenceDays?: number;

  /** Days since the last departure. */
  @NonNegativeInt()
  daysSinceLastStay: number;

  /** Local departure date of the last stay. */
  @Optional()
  @LocalDate()
  lastDeparture?: string;

  /** Model estimate that the guest is still an active customer, 0 to 1. */
  @NumberBetween(0, 1)
  probabilityAlive: number;

  /** Recent signals behind the estimate, newest first. */
  @NestedArray(() => ChurnSignalDto, { min: 0, max: 20 })
  recentSignals: ChurnSignalDto[];
}
