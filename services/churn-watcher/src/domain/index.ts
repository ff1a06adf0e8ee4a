export { CHAIN_WIDE, segmentOf } from './segments';
export { RECENT_SIGNAL_DAYS } from './signals';
export { endsLapse, firstReturn, lapseKeptByMerge } from './lapse-episodes';
export { localDay, localDaysAt, type UnknownZone } from './local-day';
export { isIdentifiedFit } from './model-fit';
export {
  consentsAfterNews,
  foldMergedConsents,
  objectsToProfiling,
  profilingConsentNews,
  type ProfilingConsent,
  type ProfilingConsentNews,
} from './profiling-consent';
export { stayKeyOf } from './stay-nights';
export {
  COMPLAINT_CLOSED,
  COMPLAINT_REOPENED,
  GuestSignals,
  SURVEY_ANSWERED,
  TIER_RAISED,
  type SignalChanges,
  type SignalKind,
  type SignalRow,
} from './guest-signals';
export {
  COMPLAINT_CLOSES,
  COMPLAINT_OPENS,
  COMPLAINT_REOPENS,
  SURVEY_ANSWERS,
  TIER_CHANGES,
  type SignalFold,
} from './signal-folds';
