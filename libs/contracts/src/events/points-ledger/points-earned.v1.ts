import { Identifier, Instant, Nested, OneOf, Optional, PositiveInt, Text } from '../../common/decorators';
import { LedgerEntryFields } from './ledger-entry.fields';

export const EARNING_SOURCES = ['stay', 'compensation', 'promotion', 'enrolment-bonus'] as const;

/** What the points were earned for. */
export class EarningSourceDto {
  /** What kind of thing earned the points. */
  @OneOf(EARNING_SOURCES)
  kind: (typeof EARNING_SOURCES)[number];

  /** The id of what earned them: the stay id, compensation id or promotion code. */
  @Text(100)
  reference: string;

  /** The property where they were earned, for stays. */
  @Optional()
  @Identifier()
  propertyId?: string;
}

export class PointsEarnedV1 extends LedgerEntryFields {
  /** Points credited. */
  @PositiveInt()
  points: number;

  /** What earned the points. */
  @Nested(() => EarningSourceDto)
  source: EarningSourceDto;

  /** When these points expire, if the programme expires points by lot. */
  @Optional()
  @Instant()
  expiresAt?: string;
}
