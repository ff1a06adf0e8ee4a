import { Bool, Instant, IntBetween, OneOf, Optional } from '../../common/decorators';
import { ComplaintFields } from './complaint.fields';

export const CLOSURE_OUTCOMES = ['resolved', 'unresolved', 'withdrawn', 'duplicate'] as const;

/** The complaint is closed for good. */
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
