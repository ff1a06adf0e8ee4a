import { OneOf, PositiveInt } from '../../common/decorators';
import { LedgerEntryFields } from './ledger-entry.fields';

export const EXPIRY_REASONS = ['lot-expired', 'inactivity'] as const;

export class PointsExpiredV1 extends LedgerEntryFields {
  /** Points debited. */
  @PositiveInt()
  points: number;

  /** Which expiry rule applied. */
  @OneOf(EXPIRY_REASONS)
  reason: (typeof EXPIRY_REASONS)[number];
}
