import type { EventType } from '@loyalty/contracts';

/** The complaint events the summary reads. */
export const COMPLAINT_SUMMARY_TYPES: EventType[] = [
  'complaint-opened',
  'complaint-escalated',
  'complaint-resolved',
  'complaint-closed',
  'complaint-reopened',
  'complaint-reclassified',
];

export const SLA_STATUSES = ['met', 'breached', 'open', 'set aside'] as const;
export type SlaStatus = (typeof SLA_STATUSES)[number];

export type ComplaintsByCategory = Record<string, Record<SlaStatus, number>>;

interface Case {
  /** Set by the case's `complaint-opened`; without it the complaint was opened before this run's log. */
  opened?: true;
  /** The opening's category, or the latest reclassification's. */
  category?: string;
  /** When the category was last reclassified: a later reclassification, or none, decides it. */
  reclassifiedAt?: string;
  breached: boolean;
  /** The latest resolution: when, and whether in time. */
  resolved?: { at: string; inTime: boolean };
  /** The latest close as a duplicate or withdrawn. */
  setAsideAt?: string;
  reopenedAt?: string;
}

/**
 * Each complaint's SLA status from its events: `breached` once an SLA timer ran out (or it was resolved
 * late), `met` when resolved in time, `set aside` when closed as a duplicate or withdrawn, else `open`. A
 * reopen restarts the resolution clock: the complaint is open again until a later resolve decides anew. A
 * complaint is counted under its latest category: staff may reclassify it after the opening.
 * Only complaints opened in the log are counted: a later event of an earlier run's complaint (an SLA
 * breach falls due days after the opening) would otherwise make an `unknown` category of its own.
 */
export class ComplaintTally {
  private readonly cases = new Map<string, Case>();

  add(type: EventType, data: Record<string, unknown>): void {
    const id = String(data.complaintId);
    // Topics are read in any order, so a case's later events can come before its opening: keep them.
    const known = this.cases.get(id) ?? { breached: false };
    if (type === 'complaint-opened') {
      known.opened = true;
      if (known.reclassifiedAt === undefined)
        known.category = String(data.complaintCategory ?? data.category);
    }
    const to = data.to as { complaintCategory?: unknown } | undefined;
    const at = String(data.reclassifiedAt);
    if (type === 'complaint-reclassified' && !(known.reclassifiedAt && known.reclassifiedAt >= at)) {
      known.category = String(to?.complaintCategory);
      known.reclassifiedAt = at;
    }
    if (type === 'complaint-escalated' && data.reason === 'sla-breached') known.breached = true;
    // Resolutions, closes and reopens are told apart by their times, not by the order they are read in.
    const resolvedAt = String(data.resolvedAt);
    if (type === 'complaint-resolved' && !(known.resolved && known.resolved.at >= resolvedAt))
      known.resolved = { at: resolvedAt, inTime: data.withinSla === true };
    if (type === 'complaint-closed' && (data.outcome === 'duplicate' || data.outcome === 'withdrawn'))
      known.setAsideAt = latest(known.setAsideAt, String(data.closedAt));
    if (type === 'complaint-reopened') known.reopenedAt = latest(known.reopenedAt, String(data.reopenedAt));
    this.cases.set(id, known);
  }

  byCategory(): ComplaintsByCategory {
    const result: ComplaintsByCategory = {};
    for (const known of this.cases.values()) {
      if (!known.opened || known.category === undefined) continue;
      const row = (result[known.category] ??= { met: 0, breached: 0, open: 0, 'set aside': 0 });
      row[statusOf(known)]++;
    }
    return result;
  }
}

function statusOf(known: Case): SlaStatus {
  const sinceReopened = (at: string | undefined) =>
    at !== undefined && !(known.reopenedAt && known.reopenedAt >= at);
  const resolvedInTime = sinceReopened(known.resolved?.at) ? known.resolved?.inTime : undefined;
  if (known.breached || resolvedInTime === false) return 'breached';
  if (resolvedInTime) return 'met';
  return sinceReopened(known.setAsideAt) ? 'set aside' : 'open';
}

function latest(held: string | undefined, at: string): string {
  return held !== undefined && held >= at ? held : at;
}

/** A category-by-status table, busiest category first. */
export function renderComplaints(byCategory: ComplaintsByCategory): string[] {
  const rows = Object.entries(byCategory)
    .map(([category, counts]) => ({
      category,
      counts,
      total: SLA_STATUSES.reduce((sum, s) => sum + counts[s], 0),
    }))
    .sort((a, b) => b.total - a.total || a.category.localeCompare(b.category));
  const width = Math.max(10, ...rows.map((row) => row.category.length));
  const cells = (values: (string | number)[]) => values.map((value) => String(value).padStart(10)).join('');
  const lines = ['', 'Complaints by SLA status and category'];
  if (rows.length === 0) return [...lines, '  (none)'];
  lines.push(`  ${''.padEnd(width)}${cells([...SLA_STATUSES, 'total'])}`);
  for (const row of rows) {
    lines.push(
      `  ${row.category.padEnd(width)}${cells([...SLA_STATUSES.map((s) => row.counts[s]), row.total])}`,
    );
  }
  return lines;
}
