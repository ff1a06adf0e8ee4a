import { ComplaintTally, renderComplaints } from './complaint-summary';

describe('complaints in the chain summary', () => {
  const tally = new ComplaintTally();
  const opened = (complaintId: string, complaintCategory: string) =>
    tally.add('complaint-opened', { complaintId, complaintCategory, category: 'room' });
  opened('c1', 'noise');
  opened('c2', 'noise');
  opened('c3', 'cleanliness');
  opened('c4', 'cleanliness');
  opened('c5', 'noise');
  const at = '2026-03-01T10:00:00.000Z';
  tally.add('complaint-resolved', { complaintId: 'c1', withinSla: true, resolvedAt: at });
  tally.add('complaint-escalated', { complaintId: 'c2', reason: 'sla-breached' });
  tally.add('complaint-resolved', { complaintId: 'c2', withinSla: true, resolvedAt: at });
  tally.add('complaint-resolved', { complaintId: 'c3', withinSla: false, resolvedAt: at });
  tally.add('complaint-closed', { complaintId: 'c4', outcome: 'duplicate', closedAt: at });

  it('should give each complaint one SLA status under its category', () => {
    expect(tally.byCategory()).toEqual({
      noise: { met: 1, breached: 1, open: 1, 'set aside': 0 },
      cleanliness: { met: 0, breached: 1, open: 0, 'set aside': 1 },
    });
  });

  it('should count a complaint resolved in time then reopened as open until it is resolved again', () => {
    const reopened = new ComplaintTally();
    reopened.add('complaint-opened', { complaintId: 'c1', complaintCategory: 'noise' });
    reopened.add('complaint-resolved', {
      complaintId: 'c1',
      withinSla: true,
      resolvedAt: '2026-03-01T10:00:00Z',
    });
    reopened.add('complaint-reopened', {
      complaintId: 'c1',
      from: 'resolved',
      reopenedAt: '2026-03-02T10:00:00Z',
    });

    expect(reopened.byCategory().noise).toEqual({ met: 0, breached: 0, open: 1, 'set aside': 0 });

    reopened.add('complaint-resolved', {
      complaintId: 'c1',
      withinSla: false,
      resolvedAt: '2026-03-03T10:00:00Z',
    });

    expect(reopened.byCategory().noise).toEqual({ met: 0, breached: 1, open: 0, 'set aside': 0 });
  });

  it('should keep a reopened complaint open when its reopen is read before the resolution it undid', () => {
    const reopened = new ComplaintTally();
    reopened.add('complaint-opened', { complaintId: 'c1', complaintCategory: 'noise' });
    reopened.add('complaint-reopened', {
      complaintId: 'c1',
      from: 'resolved',
      reopenedAt: '2026-03-02T10:00:00Z',
    });
    reopened.add('complaint-resolved', {
      complaintId: 'c1',
      withinSla: true,
      resolvedAt: '2026-03-01T10:00:00Z',
    });

    expect(reopened.byCategory().noise).toEqual({ met: 0, breached: 0, open: 1, 'set aside': 0 });
  });

  it('should count only complaints opened in the log, however their events are ordered', () => {
    const run = new ComplaintTally();
    // An earlier run's complaint breaches its SLA inside this run's log window, its opening before it.
    run.add('complaint-escalated', { complaintId: 'earlier', reason: 'sla-breached' });
    // This run's complaint, its escalation read before its opening (another topic).
    run.add('complaint-escalated', { complaintId: 'c1', reason: 'sla-breached' });
    run.add('complaint-opened', { complaintId: 'c1', complaintCategory: 'noise' });

    expect(run.byCategory()).toEqual({ noise: { met: 0, breached: 1, open: 0, 'set aside': 0 } });
  });

  it('should count a complaint under its latest category, whichever event is read first', () => {
    const run = new ComplaintTally();
    const reclassified = (to: string, reclassifiedAt: string) =>
      run.add('complaint-reclassified', {
        complaintId: 'c1',
        to: { complaintCategory: to },
        reclassifiedAt,
      });
    reclassified('safety', '2026-03-02T10:00:00.000Z');
    run.add('complaint-opened', { complaintId: 'c1', complaintCategory: 'noise' });
    reclassified('billing', '2026-03-01T10:00:00.000Z');

    expect(run.byCategory()).toEqual({ safety: { met: 0, breached: 0, open: 1, 'set aside': 0 } });
  });

  it('should render the busiest category first with a total', () => {
    const lines = renderComplaints(tally.byCategory());
    expect(lines[1]).toBe('Complaints by SLA status and category');
    expect(lines[3]).toMatch(/^ {2}noise\s+1\s+1\s+1\s+0\s+3$/);
    expect(renderComplaints({})).toContain('  (none)');
  });
});
