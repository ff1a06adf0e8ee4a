import { Uuid } from '../../common/decorators';

/** Fields of every complaint event. */
export abstract class ComplaintFields {
  /** The guest who complained. */
  @Uuid()
  guestId: string;

  /** Complaint id minted by complaints; the same in every event of the complaint. */
  @Uuid()
  complaintId: string;
}
