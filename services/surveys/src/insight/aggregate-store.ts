import type { EntityManager } from 'typeorm';
import type { DayRange } from '../domain/periods';
import {
  emptyBucket,
  SCORED_DIMENSIONS,
  type DimensionSums,
  type ScoredDimension,
  type SurveyBucket,
} from '../domain/survey-bucket';

/** What one property's day adds to the aggregates. */
export interface DayIncrement {
  propertyId: string;
  day: string;
  invited: number;
  /** Answers to invitations sent that day, counted whenever they come (the bucket counts them on theirs). */
  invitedAnswered?: number;
  bucket: SurveyBucket;
}

export interface AggregateTotals {
  bucket: SurveyBucket;
  invited: number;
  invitedAnswered: number;
}

const SUM_COLUMNS: [keyof DimensionSums, string][] = [
  ['n', 'n'],
  ['sum', 'sum'],
  ['pairs', 'pairs'],
  ['sumX', 'sum_x'],
  ['sumXX', 'sum_xx'],
  ['sumY', 'sum_y'],
  ['sumYY', 'sum_yy'],
  ['sumXY', 'sum_xy'],
];
const DAILY_COLUMNS = [
  'invited',
  'responses',
  'promoters',
  'passives',
  'detractors',
  'csat_count',
  'csat_sum',
  'invited_answered',
];

const addOnConflict = (table: string, columns: string[]) =>
  columns.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ');

/** The key of a counter row: a property's local day, and for a score row its dimension. */
export interface CounterKey {
  propertyId: string;
  day: string;
  dimension?: string;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Counter rows in the order of their key. An upsert locks its rows in the order given, so two
 * transactions meeting the same rows in different orders (a sender's chunk goes by due time: P7 then
 * P3, another's P3 then P7) would each wait for the other: a deadlock. In one order, one waits its turn.
 */
export function inKeyOrder<T extends CounterKey>(rows: readonly T[]): T[] {
  return [...rows].sort(
    (a, b) =>
      compareText(a.propertyId, b.propertyId) ||
      compareText(a.day, b.day) ||
      compareText(a.dimension ?? '', b.dimension ?? ''),
  );
}

/**
 * The incremental aggregates: rows of sums per property and local day (and dimension). Increments add
 * to a row; a period's figures are the sums over its days, a few hundred small rows at most.
 */
export const AggregateStore = {
  async add(manager: EntityManager, unordered: DayIncrement[]): Promise<void> {
    if (unordered.length === 0) return;
    const increments = inKeyOrder(unordered);
    const b = increments.map((i) => i.bucket);
    await manager.query(
      `insert into survey_daily (property_id, day, ${DAILY_COLUMNS.join(', ')})
       select * from unnest($1::text[], $2::date[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[],
                            $8::int[], $9::bigint[], $10::int[])
       on conflict (property_id, day) do update set ${addOnConflict('survey_daily', DAILY_COLUMNS)}`,
      [
        increments.map((i) => i.propertyId),
        increments.map((i) => i.day),
        increments.map((i) => i.invited),
        b.map((x) => x.responses),
        b.map((x) => x.promoters),
        b.map((x) => x.passives),
        b.map((x) => x.detractors),
        b.map((x) => x.csatCount),
        b.map((x) => x.csatSum),
        increments.map((i) => i.invitedAnswered ?? 0),
      ],
    );
    const scores = inKeyOrder(
      increments.flatMap((i) =>
        (Object.entries(i.bucket.dimensions) as [ScoredDimension, DimensionSums][]).map(
          ([dimension, sums]) => ({ ...i, dimension, sums }),
        ),
      ),
    );
    if (scores.length === 0) return;
    const columns = SUM_COLUMNS.map(([, column]) => column);
    await manager.query(
      `insert into survey_daily_scores (property_id, day, dimension, ${columns.join(', ')})
       select * from unnest($1::text[], $2::date[], $3::text[], $4::int[], $5::bigint[], $6::int[],
                            $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[])
       on conflict (property_id, day, dimension) do update set ${addOnConflict('survey_daily_scores', columns)}`,
      [
        scores.map((s) => s.propertyId),
        scores.map((s) => s.day),
        scores.map((s) => s.dimension),
        ...SUM_COLUMNS.map(([key]) => scores.map((s) => s.sums[key])),
      ],
    );
  },

  /** The sums over `range` for the given properties, or the whole chain for 'all'. */
  async totals(
    manager: EntityManager,
    properties: string[] | 'all',
    range: DayRange,
  ): Promise<AggregateTotals> {
    const where = `day >= $1 and day < $2${properties === 'all' ? '' : ' and property_id = any($3)'}`;
    const params = properties === 'all' ? [range.from, range.to] : [range.from, range.to, properties];
    const [daily]: Record<string, string | null>[] = await manager.query(
      `select ${DAILY_COLUMNS.map((c) => `coalesce(sum(${c}), 0) as ${c}`).join(', ')}
       from survey_daily where ${where}`,
      params,
    );
    const scoreRows: Record<string, string>[] = await manager.query(
      `select dimension, ${SUM_COLUMNS.map(([, c]) => `sum(${c}) as ${c}`).join(', ')}
       from survey_daily_scores where ${where} group by dimension`,
      params,
    );
    const bucket = emptyBucket();
    bucket.responses = Number(daily.responses);
    bucket.promoters = Number(daily.promoters);
    bucket.passives = Number(daily.passives);
    bucket.detractors = Number(daily.detractors);
    bucket.csatCount = Number(daily.csat_count);
    bucket.csatSum = Number(daily.csat_sum);
    for (const row of scoreRows) {
      if (!(SCORED_DIMENSIONS as readonly string[]).includes(row.dimension)) continue;
      bucket.dimensions[row.dimension as ScoredDimension] = Object.fromEntries(
        SUM_COLUMNS.map(([key, column]) => [key, Number(row[column])]),
      ) as unknown as DimensionSums;
    }
    return { bucket, invited: Number(daily.invited), invitedAnswered: Number(daily.invited_answered) };
  },
};
