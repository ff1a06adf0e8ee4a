import { Instant, NonNegativeInt, PositiveInt, Uuid } from '../../common/decorators';

/** A notice, not a ledger entry: points will expire unless the guest earns or redeems first. */
export class PointsExpiringSoonV1 {
  /** The guest whose points will expire. */
  @Uuid()
  guestId: string;

  /** Points that will expire at `expiresAt`. */
  @PositiveInt()
  points: number;

  /** When they expire. */
  @Instant()
  expiresAt: string;

  /** The guest's balance when the notice was raised. */
  @NonNegativeInt()
  balance: number;
}
