import { DifferentFrom, Instant, OneOf, Uuid } from '../../common/decorators';

export const MERGE_RULES = [
  'same-loyalty-number',
  'same-external-profile',
  'same-email',
  'same-phone',
  'manual',
] as const;

/**
 * Two profiles turned out to be one guest. Every service moves what it holds for `mergedId` to
 * `survivorId`; `mergedId` is not used again.
 */
export class GuestMergedV1 {
  /** The guest id that remains; the event's subject and key. */
  @Uuid()
  survivorId: string;

  /** The guest id that is merged away. */
  @Uuid()
  @DifferentFrom('survivorId')
  mergedId: string;

  /** The matching rule that decided the merge. */
  @OneOf(MERGE_RULES)
  rule: (typeof MERGE_RULES)[number];

  /** When the merge was made. */
  @Instant()
  mergedAt: string;
}
