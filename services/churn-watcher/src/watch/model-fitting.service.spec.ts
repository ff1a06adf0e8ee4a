import type { EntityManager } from 'typeorm';
import type { BgNbdFit } from '@loyalty/lifetime';
import { CHAIN_WIDE } from '../domain';
import { ChurnWatcherConfig } from '../config/churn-watcher.config';
import { ModelFittingService } from './model-fitting.service';
import type { ModelStore, StoredModel } from './model-store';
import type { GuestRow, VisitStore } from './visit-store';

const TODAY = 20_000;
const NOW = new Date(TODAY * 86_400_000);

function guest(segment: string, i: number, repeatVisits: number, lastDaysAgo: number): GuestRow {
  const lastDay = TODAY - lastDaysAgo;
  return {
    guestId: `${segment}-${i}`,
    segment,
    timeZone: 'UTC',
    firstDay: repeatVisits > 0 ? TODAY - 400 : lastDay,
    lastDay,
    repeatVisits,
    meanIntervalDays: repeatVisits > 0 ? (lastDay - (TODAY - 400)) / repeatVisits : 0,
    intervalDeviationDays: 0,
  };
}

/** Leisure regulars, visiting every two months or so. */
const regulars = (count: number) =>
  Array.from({ length: count }, (_, i) => guest('leisure', i, 3 + (i % 5), 10 + (i % 30)));

/** Business guests with their first stay only (a back-fill under way). */
const firstStays = (count: number) =>
  Array.from({ length: count }, (_, i) => guest('business', i, 0, 5 + (i % 200)));

async function refit(guests: GuestRow[]): Promise<string[]> {
  const saved: string[] = [];
  const visits = { guests: async () => guests } as unknown as VisitStore;
  const models = {
    save: async (_manager: EntityManager, segment: string, fit: BgNbdFit, at: Date) => {
      saved.push(segment);
      return { id: saved.length, segment, parameters: fit.parameters, fittedAt: at } as StoredModel;
    },
  } as unknown as ModelStore;
  await new ModelFittingService(visits, models, new ChurnWatcherConfig()).refit({} as EntityManager, NOW);
  return saved;
}

describe('ModelFittingService', () => {
  it('should not give a segment a model of its own when none of its guests has a repeat stay', async () => {
    expect(await refit([...firstStays(1000), ...regulars(50)])).toEqual([CHAIN_WIDE]);
  });

  it('should not give a segment a model of its own when too few of its guests have a repeat stay', async () => {
    const business = firstStays(1000).map((row, i) =>
      i < 20 ? { ...row, ...guest('business', i, 2, 40) } : row,
    );
    expect(await refit([...business, ...regulars(50)])).toEqual([CHAIN_WIDE]);
  });

  it('should fit a segment with enough guests with repeat stays', async () => {
    expect(await refit([...firstStays(50), ...regulars(1000)])).toEqual([CHAIN_WIDE, 'leisure']);
  });

  it('should save nothing when no guest has a repeat stay', async () => {
    expect(await refit(firstStays(1000))).toEqual([]);
  });
});
