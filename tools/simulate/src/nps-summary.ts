import {
  classifyNps,
  netPromoterScore,
  type EventType,
  type NpsCounts,
  type NpsResult,
} from '@loyalty/contracts';

/** The survey events the summary reads. */
export const NPS_SUMMARY_TYPES: EventType[] = ['survey-invited', 'survey-completed'];

export interface PropertyNps extends NpsResult {
  invited: number;
  /** Completed surveys, including those that skipped the recommend question (not in NPS). */
  responses: number;
}

export type NpsByProperty = Record<string, PropertyNps>;

/** NPS per property from `survey-completed`, with the platform's one NPS formula. */
export class NpsTally {
  private readonly properties = new Map<string, NpsCounts & { invited: number; responses: number }>();

  add(type: EventType, data: Record<string, unknown>): void {
    const propertyId = String((data.stay as { propertyId?: unknown } | undefined)?.propertyId);
    const tally = this.properties.get(propertyId) ?? {
      promoters: 0,
      passives: 0,
      detractors: 0,
      invited: 0,
      responses: 0,
    };
    this.properties.set(propertyId, tally);
    if (type === 'survey-invited') {
      tally.invited++;
      return;
    }
    tally.responses++;
    if (typeof data.nps !== 'number') return;
    const band = classifyNps(data.nps);
    tally[band === 'promoter' ? 'promoters' : band === 'passive' ? 'passives' : 'detractors']++;
  }

  byProperty(): NpsByProperty {
    return Object.fromEntries(
      [...this.properties].map(([propertyId, t]) => [
        propertyId,
        { ...netPromoterScore(t), invited: t.invited, responses: t.responses },
      ]),
    );
  }
}

export function renderNps(byProperty: NpsByProperty): string[] {
  const rows = Object.entries(byProperty).sort(([a], [b]) => a.localeCompare(b));
  const lines = ['', 'NPS by property (promoters 9-10 minus detractors 0-6; ± is the 95% margin)'];
  if (rows.length === 0) return [...lines, '  (no surveys)'];
  const width = Math.max(10, ...rows.map(([id]) => id.length));
  for (const [id, p] of rows) {
    const nps = p.nps === null ? 'n/a' : `${p.nps > 0 ? '+' : ''}${p.nps.toFixed(1)}`;
    const margin = p.marginOfError === null ? '' : ` ±${p.marginOfError.toFixed(1)}`;
    lines.push(
      `  ${id.padEnd(width)}  ${`${nps}${margin}`.padStart(13)}  ${p.answers} answers, ${p.responses} of ${p.invited} invited responded`,
    );
  }
  return lines;
}
