import { Instant, LaterThan, OneOf, Text } from '../../common/decorators';
import { ComplaintFields } from './complaint.fields';

export const REOPENED_FROM = ['resolved', 'closed'] as const;

/**
 * The guest reopened a resolved complaint, or one closed because they never answered the follow-up, or
 * complaints took up again one closed as the duplicate of a complaint since cancelled: it is being handled
 * again. The guest's reason stays in complaints, as free text is blanked on erasure.
 */
export class ComplaintReopenedV1 extends ComplaintFields {
  /**
   * What the complaint was when reopened: `resolved`, or `closed` when its unanswered follow-up had closed
   * it or it was closed as a duplicate, in which case this undoes that `complaint-closed`.
   */
  @OneOf(REOPENED_FROM)
  from: (typeof REOPENED_FROM)[number];

  /** Opaque id of the staff member who reopened it for the guest; `complaints` when the service took it up. */
  @Text(100)
  reopenedBy: string;

  /** When it was reopened; compare with `closedAt` to tell it from a later close of the same complaint. */
  @Instant()
  reopenedAt: string;

  /** The new resolution deadline: the SLA's resolution clock starts again at the reopen. */
  @Instant()
  @LaterThan('reopenedAt', 'instant')
  resolveBy: string;
}
