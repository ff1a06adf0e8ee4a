import { Identifier, Instant, Nested, OneOf, Optional, Text } from '../../common/decorators';
import { STAY_DIMENSIONS, type StayDimension } from '../../common/vocabulary';
import { ComplaintFields } from './complaint.fields';
import { COMPLAINT_CATEGORIES, COMPLAINT_SEVERITIES } from './complaint-opened.v1';

/** How a complaint is triaged, named as `complaint-opened` names it. */
export class ComplaintClassificationDto {
  /** How serious staff judge it; sets the SLA. */
  @OneOf(COMPLAINT_SEVERITIES)
  severity: (typeof COMPLAINT_SEVERITIES)[number];

  /** The aspect of the stay complained about. */
  @OneOf(STAY_DIMENSIONS)
  category: StayDimension;

  /** The complaint category staff filed it under. */
  @OneOf(COMPLAINT_CATEGORIES)
  complaintCategory: (typeof COMPLAINT_CATEGORIES)[number];
}

/**
 * Staff corrected a complaint's severity, its category or both, before it was closed; its SLA deadlines
 * follow the new classification. Their reason stays in complaints, as free text is blanked on erasure.
 */
export class ComplaintReclassifiedV1 extends ComplaintFields {
  /** The property the complaint is about. */
  @Identifier()
  propertyId: string;

  /** The classification the complaint had. */
  @Nested(() => ComplaintClassificationDto)
  from: ComplaintClassificationDto;

  /** The classification it has now. */
  @Nested(() => ComplaintClassificationDto)
  to: ComplaintClassificationDto;

  /** Opaque id of the staff member. */
  @Text(100)
  reclassifiedBy: string;

  /** When it was reclassified; compare with another reclassification's to tell the later. */
  @Instant()
  reclassifiedAt: string;

  /**
   * The resolution deadline now. It can be past: a target missed stays missed. While the complaint awaits
   * the guest, the earliest it can be due (the clock stopped); once resolved, the target it was resolved
   * against (a reopen starts a new one).
   */
  @Instant()
  resolveBy: string;

  /** The acknowledgement deadline now, while the complaint has not been acknowledged. */
  @Optional()
  @Instant()
  acknowledgeBy?: string;
}
