import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { asCustomers, fitBgNbd, type BgNbdFit, type BgNbdParameters } from '@loyalty/lifetime';
import { CHAIN_WIDE } from '../domain';
import { ChurnWatcherConfig } from '../config/churn-watcher.config';
import { visitColumns } from './guest-columns';
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

/** The models a refit at `now` saves, by segment, in the order saved. */
async function fitted(guests: GuestRow[], now = NOW): Promise<Map<string, BgNbdParameters>> {
  const saved = new Map<string, BgNbdParameters>();
  const visits = { guests: async () => guests } as unknown as VisitStore;
  const models = {
    save: async (_manager: EntityManager, segment: string, fit: BgNbdFit, at: Date) => {
      saved.set(segment, fit.parameters);
      return { id: saved.size, segment, parameters: fit.parameters, fittedAt: at } as StoredModel;
    },
  } as unknown as ModelStore;
  await new ModelFittingService(visits, models, new ChurnWatcherConfig()).refit({} as EntityManager, now);
  return saved;
}

async function refit(guests: GuestRow[]): Promise<string[]> {
  return [...(await fitted(guests)).keys()];
}

describe('ModelFittingService', () => {
  afterEach(() => jest.restoreAllMocks());

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

  it("should age each guest to the local date at their last stay's property, as the scan does", async () => {
    // 03:00 UTC on the day after TODAY, the scan hour: in Los Angeles it is still TODAY.
    const scanHour = new Date((TODAY + 1) * 86_400_000 + 3 * 3_600_000);
    const guests = regulars(300).map((row) => ({ ...row, timeZone: 'America/Los_Angeles' }));
    const onLocalDate = fitBgNbd(asCustomers(visitColumns(guests), TODAY)).parameters;
    const onUtcDate = fitBgNbd(asCustomers(visitColumns(guests), TODAY + 1)).parameters;
    // The day matters to the fit: otherwise this test could not tell the two apart.
    expect(onLocalDate).not.toEqual(onUtcDate);
    expect((await fitted(guests, scanHour)).get(CHAIN_WIDE)).toEqual(onLocalDate);
  });

  it('should age a guest whose zone the runtime does not know to the UTC date, and fit the others', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const guests = regulars(300).map((row, i) =>
      i % 2 === 0 ? { ...row, timeZone: 'America/Zone_Of_A_Newer_Tz_Release' } : row,
    );
    expect((await fitted(guests)).get(CHAIN_WIDE)).toEqual(
      fitBgNbd(asCustomers(visitColumns(guests), TODAY)).parameters,
    );
    expect(Logger.prototype.warn).toHaveBeenCalledTimes(1);
  });
});
