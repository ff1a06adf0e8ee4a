import { Bool, Instant, IntBetween, OneOf, Optional } from '../../common/decorators';
import { ComplaintFields } from './complaint.fields';

export const CLOSURE_OUTCOMES = ['resolved', 'unresolved', 'withdrawn', 'duplicate'] as const;

/**
 * The complaint is closed. One closed because the guest never answered the follow-up (no `satisfaction`) may
 * still be reopened within the reopen window: `complaint-reopened` then says so.
 */
export class ComplaintClosedV1 extends ComplaintFields {
  /** How the complaint ended. */
  @OneOf(CLOSURE_OUTCOMES)
  outcome: (typeof CLOSURE_OUTCOMES)[number];

  /** The guest's answer when asked whether they are satisfied, if they were asked. */
  @Optional()
  @Bool()
  guestSatisfied?: boolean;

  /** The guest's satisfaction with how the complaint was handled, 1 to 5, when the follow-up reached them. */
  @Optional()
  @IntBetween(1, 5)
  satisfaction?: number;

  /** When it was closed. */
  @Instant()
  closedAt: string;
}
