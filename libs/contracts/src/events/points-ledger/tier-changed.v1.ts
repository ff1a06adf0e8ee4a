import { DifferentFrom, Instant, OneOf, Optional, Uuid } from '../../common/decorators';
import { TIERS, type Tier } from '../../common/vocabulary';

export const TIER_CHANGE_REASONS = [
  'qualified',
  'requalification-missed',
  'status-match',
  'manual',
  'guest-merged',
] as const;

export class TierChangedV1 {
  /** The guest whose tier changed. */
  @Uuid()
  guestId: string;

  /** The tier before the change. */
  @OneOf(TIERS)
  from: Tier;

  /** The tier after the change. */
  @OneOf(TIERS)
  @DifferentFrom('from')
  to: Tier;

  /** Why the tier changed. */
  @OneOf(TIER_CHANGE_REASONS)
  reason: (typeof TIER_CHANGE_REASONS)[number];

  /** Until when the new tier holds without requalifying; absent for the base tier. */
  @Optional()
  @Instant()
  validUntil?: string;

  /** When the change took effect. */
  @Instant()
  changedAt: string;
}
