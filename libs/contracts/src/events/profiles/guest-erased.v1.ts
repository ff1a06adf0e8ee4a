import { Instant, OneOf, Uuid } from '../../common/decorators';

export const ERASURE_REASONS = ['guest-request', 'retention-policy'] as const;

/** A guest's personal data was erased; every service pseudonymises what it holds for the guest. */
export class GuestErasedV1 {
  /** The guest who was erased; the id itself stays valid as an opaque key. */
  @Uuid()
  guestId: string;

  /** When profiles erased the personal data. */
  @Instant()
  erasedAt: string;

  /** Why: the guest asked, or the retention period ended. */
  @OneOf(ERASURE_REASONS)
  reason: (typeof ERASURE_REASONS)[number];
}
