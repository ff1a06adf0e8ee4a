export { CHAIN_WIDE, segmentOf } from './segments';
export { isDetractor, isDowngrade, isUpgrade, RECENT_SIGNAL_DAYS } from './signals';
export { endsLapse, firstReturn, lapseKeptByMerge } from './lapse-episodes';
export { localDay, localDaysAt, type UnknownZone } from './local-day';
export { isNewestTurn, type ComplaintTurns } from './complaint-turns';
export { isIdentifiedFit } from './model-fit';
export { downgradeStands, isNewestAnswer } from './signal-order';
export { latestNightsPerStay, postedAfter, stayKeyOf, type NightsPosting } from './stay-nights';
