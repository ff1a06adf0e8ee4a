export { logBeta, logGamma } from './special/log-gamma';
export { nelderMead, type Minimum, type NelderMeadOptions } from './optimise/nelder-mead';
export {
  assertValidCustomers,
  customerColumns,
  type BgNbdParameters,
  type CustomerColumns,
} from './bgnbd/parameters';
export { logLikelihood, prepareCustomers, type PreparedCustomers } from './bgnbd/log-likelihood';
export { FIT_LOG_BOUND, fitBgNbd, type BgNbdFit } from './bgnbd/fit';
export { conditionalExpectedTransactions, expectedInterval, probabilityAlive } from './bgnbd/score';
export { scoreCustomers, type ScoreColumns } from './bgnbd/score-columns';
export { dateOfDay, dayNumber, summariseVisits, type VisitSummary } from './detection/visit-summary';
export { assessLapse, DEFAULT_RISK_LINE, type LapseAssessment, type RiskLine } from './detection/risk-line';
export { asCustomers, findLapses, type Lapse, type VisitColumns } from './detection/lapse-scoring';
