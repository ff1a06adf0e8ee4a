import { sampleEventData, type Tier } from '@loyalty/contracts';
import { GuestSignals, NEWEST, SURVEY_ANSWERED, TIER_RAISED, type SignalRow } from './guest-signals';
import { instantOf } from './instant';
import {
  COMPLAINT_CLOSES,
  COMPLAINT_OPENS,
  COMPLAINT_REOPENS,
  SURVEY_ANSWERS,
  TIER_CHANGES,
  type SignalFold,
} from './signal-folds';

const GUEST = '6f1c2b1e-0000-4000-8000-000000000001';
const OTHER = '6f1c2b1e-0000-4000-8000-000000000002';
const COMPLAINT = '6f1c2b1e-0000-4000-8000-0000000000c1';
const at = (day: number) => new Date(Date.UTC(2031, 2, day, 9)).toISOString();

const keyOf = (row: Omit<SignalRow, 'at'>) => `${row.guestId}/${row.kind}/${row.reference}`;

/**
 * The rows after one run of events, as the store leaves them once it has written the run's changes; the
 * run sees of the stored rows only those of the fold's kinds, as the store reads them.
 */
function afterRun<D>(
  fold: SignalFold<D>,
  events: readonly D[],
  stored: readonly SignalRow[] = [],
): SignalRow[] {
  const signals = new GuestSignals(stored.filter((row) => fold.kinds.includes(row.kind)));
  fold.apply(signals, events);
  const { written, removed } = signals.changes();
  const rows = new Map(stored.map((row) => [keyOf(row), row]));
  for (const row of removed) rows.delete(keyOf(row));
  for (const row of written) rows.set(keyOf(row), row);
  return [...rows.values()];
}

/** The references and days of the guest's rows of a kind. */
function of(rows: readonly SignalRow[], kind: string, guestId = GUEST): { reference: string; at: string }[] {
  return rows
    .filter((row) => row.guestId === guestId && row.kind === kind)
    .map(({ reference, at }) => ({ reference, at }));
}

const row = (kind: SignalRow['kind'], reference: string, day: number, guestId = GUEST): SignalRow => ({
  guestId,
  kind,
  reference,
  at: instantOf(at(day)),
});

describe('a run of tier changes', () => {
  const change = (from: Tier, to: Tier, day: number, guestId = GUEST) =>
    sampleEventData('tier-changed', { guestId, from, to, changedAt: at(day) });
  const up = (day: number, guestId = GUEST) => change('silver', 'gold', day, guestId);
  const down = (day: number, guestId = GUEST) => change('gold', 'silver', day, guestId);

  it('should record no downgrade older than an upgrade in the same run, in either order', () => {
    for (const run of [
      [up(5), down(3)],
      [down(3), up(5)],
    ]) {
      const rows = afterRun(TIER_CHANGES, run);
      expect(of(rows, 'tier-downgrade')).toEqual([]);
      expect(of(rows, TIER_RAISED)).toEqual([{ reference: NEWEST, at: instantOf(at(5)) }]);
    }
  });

  it('should keep a downgrade newer than the upgrade in the same run, in either order', () => {
    for (const run of [
      [up(3), down(5)],
      [down(5), up(3)],
    ]) {
      expect(of(afterRun(TIER_CHANGES, run), 'tier-downgrade')).toEqual([
        { reference: `gold->silver@${at(5)}`, at: instantOf(at(5)) },
      ]);
    }
  });

  it('should take an upgrade at the instant of a downgrade in the same run as the later, in either order', () => {
    expect(of(afterRun(TIER_CHANGES, [up(4), down(4)]), 'tier-downgrade')).toEqual([]);
    expect(of(afterRun(TIER_CHANGES, [down(4), up(4)]), 'tier-downgrade')).toEqual([]);
  });

  it('should judge a downgrade by the newest upgrade of the run, not the last handled', () => {
    expect(of(afterRun(TIER_CHANGES, [up(6), up(4), down(5)]), 'tier-downgrade')).toEqual([]);
  });

  it('should clear a stored downgrade older than an upgrade of the run, and keep a newer one', () => {
    const stored = [row('tier-downgrade', 'old', 2), row('tier-downgrade', 'new', 8)];
    const rows = afterRun(TIER_CHANGES, [up(6)], stored);
    expect(of(rows, 'tier-downgrade').map((left) => left.reference)).toEqual(['new']);
  });

  it('should record no downgrade older than a stored upgrade', () => {
    const rows = afterRun(TIER_CHANGES, [down(3)], [row(TIER_RAISED, NEWEST, 5)]);
    expect(of(rows, 'tier-downgrade')).toEqual([]);
  });

  it("should judge each guest's downgrades by their own upgrades only", () => {
    const rows = afterRun(TIER_CHANGES, [up(5), down(3, OTHER)]);
    expect(of(rows, 'tier-downgrade', OTHER)).toHaveLength(1);
  });

  it('should change nothing when the same run is handled again', () => {
    const run = [down(3), up(5), down(7), down(6, OTHER)];
    const signals = new GuestSignals(afterRun(TIER_CHANGES, run));
    TIER_CHANGES.apply(signals, run);
    expect(signals.changes()).toEqual({ written: [], removed: [] });
  });
});

describe('a run of survey answers', () => {
  const answer = (surveyId: string, nps: number | undefined, day: number) =>
    sampleEventData('survey-completed', { guestId: GUEST, surveyId, nps, completedAt: at(day) });
  const detractors = (rows: SignalRow[]) => of(rows, 'detractor').map((left) => left.reference);

  it('should keep the newer promoter answer when an older detractor answer follows it in the run, and the other way round', () => {
    expect(
      detractors(afterRun(SURVEY_ANSWERS, [answer('promoter', 10, 5), answer('detractor', 2, 3)])),
    ).toEqual([]);
    expect(
      detractors(afterRun(SURVEY_ANSWERS, [answer('detractor', 2, 3), answer('promoter', 10, 5)])),
    ).toEqual([]);
  });

  it('should keep the newer detractor answer in either order', () => {
    for (const run of [
      [answer('promoter', 10, 3), answer('detractor', 2, 5)],
      [answer('detractor', 2, 5), answer('promoter', 10, 3)],
    ]) {
      const rows = afterRun(SURVEY_ANSWERS, run);
      expect(detractors(rows)).toEqual(['detractor']);
      expect(of(rows, SURVEY_ANSWERED)).toEqual([{ reference: NEWEST, at: instantOf(at(5)) }]);
    }
  });

  it('should let the answer handled later decide between two at the same instant', () => {
    expect(
      detractors(afterRun(SURVEY_ANSWERS, [answer('detractor', 2, 5), answer('promoter', 10, 5)])),
    ).toEqual([]);
    expect(
      detractors(afterRun(SURVEY_ANSWERS, [answer('promoter', 10, 5), answer('detractor', 2, 5)])),
    ).toEqual(['detractor']);
  });

  it('should judge an answer by a stored detractor answered before the marker existed', () => {
    const stored = [row('detractor', 'stored', 5)];
    expect(detractors(afterRun(SURVEY_ANSWERS, [answer('promoter', 10, 3)], stored))).toEqual(['stored']);
    expect(detractors(afterRun(SURVEY_ANSWERS, [answer('promoter', 10, 6)], stored))).toEqual([]);
  });

  it('should record nothing for an answer without a score', () => {
    expect(afterRun(SURVEY_ANSWERS, [answer('skipped', undefined, 5)])).toEqual([]);
  });
});

describe('runs of complaint turns', () => {
  const opened = (day: number) =>
    sampleEventData('complaint-opened', { guestId: GUEST, complaintId: COMPLAINT, openedAt: at(day) });
  const closed = (outcome: 'resolved' | 'unresolved', day: number) =>
    sampleEventData('complaint-closed', {
      guestId: GUEST,
      complaintId: COMPLAINT,
      outcome,
      closedAt: at(day),
    });
  const reopened = (day: number) =>
    sampleEventData('complaint-reopened', { guestId: GUEST, complaintId: COMPLAINT, reopenedAt: at(day) });
  const days = (rows: SignalRow[], kind: string) => of(rows, kind).map((left) => left.at);

  it('should keep the newest instant of an open handled twice, in either order', () => {
    expect(days(afterRun(COMPLAINT_OPENS, [opened(2), opened(3)]), 'complaint-opened')).toEqual([
      instantOf(at(3)),
    ]);
    expect(days(afterRun(COMPLAINT_OPENS, [opened(3), opened(2)]), 'complaint-opened')).toEqual([
      instantOf(at(3)),
    ]);
  });

  it('should record nothing for an open whose close was handled first', () => {
    const rows = afterRun(COMPLAINT_OPENS, [opened(2)], afterRun(COMPLAINT_CLOSES, [closed('resolved', 4)]));
    expect(of(rows, 'complaint-opened')).toEqual([]);
  });

  it('should let the newest close of a run decide the outcome, in either order', () => {
    for (const run of [
      [closed('unresolved', 3), closed('resolved', 5)],
      [closed('resolved', 5), closed('unresolved', 3)],
    ]) {
      const rows = afterRun(COMPLAINT_CLOSES, run, afterRun(COMPLAINT_OPENS, [opened(2)]));
      expect(of(rows, 'complaint-unresolved')).toEqual([]);
      expect(of(rows, 'complaint-opened')).toEqual([]);
      expect(days(rows, 'complaint-closed')).toEqual([instantOf(at(5))]);
    }
    for (const run of [
      [closed('resolved', 3), closed('unresolved', 5)],
      [closed('unresolved', 5), closed('resolved', 3)],
    ]) {
      expect(days(afterRun(COMPLAINT_CLOSES, run), 'complaint-unresolved')).toEqual([instantOf(at(5))]);
    }
  });

  it('should keep a complaint open when its close is older than a reopen handled before it', () => {
    const stored = afterRun(COMPLAINT_REOPENS, [reopened(4)]);
    const rows = afterRun(COMPLAINT_CLOSES, [closed('unresolved', 3)], stored);
    expect(days(rows, 'complaint-opened')).toEqual([instantOf(at(4))]);
    expect(of(rows, 'complaint-unresolved')).toEqual([]);
  });

  it('should reopen a complaint as of its newest reopen after its close, in either order of a run', () => {
    const stored = afterRun(COMPLAINT_CLOSES, [closed('unresolved', 5)]);
    for (const run of [
      [reopened(4), reopened(6)],
      [reopened(6), reopened(4)],
    ]) {
      const rows = afterRun(COMPLAINT_REOPENS, run, stored);
      expect(days(rows, 'complaint-opened')).toEqual([instantOf(at(6))]);
      expect(days(rows, 'complaint-reopened')).toEqual([instantOf(at(6))]);
      expect(of(rows, 'complaint-unresolved')).toEqual([]);
    }
  });

  it('should leave a complaint closed by a reopen older than its close', () => {
    const stored = afterRun(COMPLAINT_CLOSES, [closed('unresolved', 5)]);
    const rows = afterRun(COMPLAINT_REOPENS, [reopened(4)], stored);
    expect(of(rows, 'complaint-opened')).toEqual([]);
    expect(days(rows, 'complaint-unresolved')).toEqual([instantOf(at(5))]);
  });
});
