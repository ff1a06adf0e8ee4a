import { Instant, Nested, OneOf, Text, Uuid } from '../../common/decorators';
import { ChurnEvidenceDto } from './churn-evidence.dto';

export const CHURN_RISK_LEVELS = ['elevated', 'high'] as const;

/** A guest stays less often than their own pattern predicts: a churn risk. */
export class VisitFrequencyDroppedV1 {
  /** The guest at risk. */
  @Uuid()
  guestId: string;

  /** How likely the guest is lapsing, in bands the CRM acts on. */
  @OneOf(CHURN_RISK_LEVELS)
  riskLevel: (typeof CHURN_RISK_LEVELS)[number];

  /** What the estimate is based on. */
  @Nested(() => ChurnEvidenceDto)
  evidence: ChurnEvidenceDto;

  /** The model that scored it, so a change of model can be told apart from a change of behaviour. */
  @Text(50)
  modelVersion: string;

  /** When the drop was detected. */
  @Instant()
  detectedAt: string;
}
