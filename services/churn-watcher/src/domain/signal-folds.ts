import type { ReceivedEventData } from '@loyalty/contracts';
import { isNewestTurn } from './complaint-turns';
import {
  COMPLAINT_CLOSED,
  COMPLAINT_REOPENED,
  NEWEST,
  SURVEY_ANSWERED,
  TIER_RAISED,
  type GuestSignals,
  type SignalKind,
} from './guest-signals';
import { instantOf } from './instant';
import { downgradeStands, isNewestAnswer } from './signal-order';
import { isDetractor, isDowngrade, isUpgrade } from './signals';

/**
 * How a run of one type of signal event changes its guests' rows, applied in the run's order (each event
 * sees what the ones before it did): `kinds` are all the rows it reads or writes, of every reference.
 */
export interface SignalFold<D> {
  readonly kinds: readonly SignalKind[];
  apply(signals: GuestSignals, events: readonly D[]): void;
}

/**
 * Only the newest answer by `completedAt` counts: a later promoter score clears an earlier detractor,
 * and an older answer handled after a newer one changes nothing. A detractor row is at its answer, so a
 * guest answered before the marker existed is judged by it.
 */
export const SURVEY_ANSWERS: SignalFold<ReceivedEventData<'survey-completed'>> = {
  kinds: [SURVEY_ANSWERED, 'detractor'],
  apply(signals, answers) {
    for (const { guestId, surveyId, nps, completedAt } of answers) {
      if (nps === undefined) continue;
      const at = instantOf(completedAt);
      if (!isNewestAnswer(at, signals.newest(guestId, [SURVEY_ANSWERED, 'detractor']))) continue;
      signals.record(guestId, SURVEY_ANSWERED, NEWEST, at);
      signals.clear(guestId, 'detractor');
      if (isDetractor(nps)) signals.record(guestId, 'detractor', surveyId, at);
    }
  },
};

/** A complaint whose close was handled first is not open: its open records nothing. */
export const COMPLAINT_OPENS: SignalFold<ReceivedEventData<'complaint-opened'>> = {
  kinds: ['complaint-opened', COMPLAINT_CLOSED],
  apply(signals, opens) {
    for (const { guestId, complaintId, openedAt } of opens) {
      // A newer reopen handled first has recorded it open already.
      if (signals.has(guestId, COMPLAINT_CLOSED, complaintId)) continue;
      signals.record(guestId, 'complaint-opened', complaintId, instantOf(openedAt));
    }
  },
};

/**
 * A closed complaint stops counting, unless it closed unresolved. The close is remembered, as it can be
 * handled before its open (another topic); a reopen newer than it, handled first, keeps it open.
 */
export const COMPLAINT_CLOSES: SignalFold<ReceivedEventData<'complaint-closed'>> = {
  kinds: ['complaint-opened', 'complaint-unresolved', COMPLAINT_CLOSED, COMPLAINT_REOPENED],
  apply(signals, closes) {
    for (const { guestId, complaintId, outcome, closedAt } of closes) {
      const at = instantOf(closedAt);
      const turns = signals.turns(guestId, complaintId);
      signals.record(guestId, COMPLAINT_CLOSED, complaintId, at);
      if (!isNewestTurn('closed', at, turns)) continue;
      signals.clear(guestId, 'complaint-opened', complaintId);
      // The newest close's outcome stands: an earlier unresolved close (a merge may bring one) no longer.
      if (outcome === 'unresolved') signals.record(guestId, 'complaint-unresolved', complaintId, at);
      else signals.clear(guestId, 'complaint-unresolved', complaintId);
    }
  },
};

/**
 * A reopened complaint counts as open again, as of the reopen, unless a newer close was handled first.
 * The reopen is remembered, as an older close can be handled after it (another topic).
 */
export const COMPLAINT_REOPENS: SignalFold<ReceivedEventData<'complaint-reopened'>> = {
  kinds: ['complaint-opened', 'complaint-unresolved', COMPLAINT_CLOSED, COMPLAINT_REOPENED],
  apply(signals, reopens) {
    for (const { guestId, complaintId, reopenedAt } of reopens) {
      const at = instantOf(reopenedAt);
      const turns = signals.turns(guestId, complaintId);
      signals.record(guestId, COMPLAINT_REOPENED, complaintId, at);
      if (!isNewestTurn('reopened', at, turns)) continue;
      signals.record(guestId, 'complaint-opened', complaintId, at);
      // Open again, it no longer stands as closed unresolved.
      signals.clear(guestId, 'complaint-unresolved', complaintId);
    }
  },
};

/**
 * A downgrade counts until the guest moves up again: an upgrade clears the downgrades before it, and a
 * downgrade older than the newest upgrade, handled after it, records nothing.
 */
export const TIER_CHANGES: SignalFold<ReceivedEventData<'tier-changed'>> = {
  kinds: [TIER_RAISED, 'tier-downgrade'],
  apply(signals, changes) {
    for (const { guestId, from, to, changedAt } of changes) {
      const at = instantOf(changedAt);
      if (isUpgrade(from, to)) {
        signals.record(guestId, TIER_RAISED, NEWEST, at);
        signals.clearUntil(guestId, 'tier-downgrade', at);
      } else if (isDowngrade(from, to)) {
        if (!downgradeStands(at, signals.newest(guestId, [TIER_RAISED]))) continue;
        signals.record(guestId, 'tier-downgrade', `${from}->${to}@${changedAt}`, at);
      }
    }
  },
};
