export {
  evaluateDetection,
  type DetectionScore,
  type EvaluationOptions,
  type EvaluationReport,
} from './detection-evaluation';
export { asCustomers, findLapses, type Lapse, type VisitColumns } from './lapse-scoring';
export { assessLapse, DEFAULT_RISK_LINE, type LapseAssessment, type RiskLine } from './risk-line';
export { CHAIN_WIDE, segmentOf } from './segments';
export { isDetractor, isDowngrade, RECENT_SIGNAL_DAYS } from './signals';
export { dateOfDay, dayNumber, summariseVisits, type VisitSummary } from './visit-summary';
