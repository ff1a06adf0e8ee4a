import type { Instant } from './instant';

/**
 * The newest close and the newest reopen of a complaint handled so far, if any. Closes and reopens come
 * on different topics, so one can be handled before an older other.
 */
export interface ComplaintTurns {
  readonly closedAt: Instant | null;
  readonly reopenedAt: Instant | null;
}

/**
 * Whether a close or a reopen at `at` is the newest turn of the complaint, and so says whether it is
 * open and how it closed: a close older than a reopen already handled was undone by it, a close older
 * than a close already handled was followed by that one (whose outcome stands), and a reopen older than
 * a close already handled was closed again. A reopen at the very instant of a close is the newer: it can
 * only follow one. The same close handled again is still the newest.
 */
export function isNewestTurn(turn: 'closed' | 'reopened', at: Instant, handled: ComplaintTurns): boolean {
  if (turn === 'closed') {
    return (
      (handled.reopenedAt === null || at > handled.reopenedAt) &&
      (handled.closedAt === null || at >= handled.closedAt)
    );
  }
  return handled.closedAt === null || at >= handled.closedAt;
}
