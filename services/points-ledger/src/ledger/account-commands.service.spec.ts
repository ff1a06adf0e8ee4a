import { NotFoundException } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { EventPublisher } from '@loyalty/messaging';
import type { Clock } from '@loyalty/platform';
import { T0 } from '../domain/ledger.fixtures';
import { AccountCommandsService } from './account-commands.service';
import { MergeLinksChanged, type AccountStore } from './account-store';
import type { StayAdjustmentService } from './stay-adjustment.service';

const GUEST = '55555555-5555-4555-8555-555555555555';
const HOLD = '44444444-4444-4444-8444-444444444444';
const STAFF = { staffId: 'desk-1', role: 'front-desk' as const, propertyId: 'AMS01' };

/** Commands over a store whose first `refusals` locks give up as a merge was committed meanwhile. */
function commands(refusals: number) {
  let attempts = 0;
  const store = {
    lockOne: async () => {
      attempts++;
      if (attempts <= refusals) throw new MergeLinksChanged([GUEST]);
      return undefined;
    },
  } as unknown as AccountStore;
  const dataSource = {
    transaction: <R>(work: (manager: EntityManager) => Promise<R>) => work({} as EntityManager),
  } as unknown as DataSource;
  const service = new AccountCommandsService(
    dataSource,
    store,
    {} as EventPublisher,
    {
      now: () => T0,
    } as Clock,
    {} as StayAdjustmentService,
  );
  return { service, attempts: () => attempts };
}

describe('AccountCommandsService when an account is merged while being locked', () => {
  it('should run the whole transaction again', async () => {
    const { service, attempts } = commands(1);
    // The second attempt gets as far as finding no account.
    await expect(service.releaseHold(GUEST, HOLD, STAFF)).rejects.toBeInstanceOf(NotFoundException);
    expect(attempts()).toBe(2);
  });

  it('should give up after three attempts', async () => {
    const { service, attempts } = commands(5);
    await expect(service.releaseHold(GUEST, HOLD, STAFF)).rejects.toBeInstanceOf(MergeLinksChanged);
    expect(attempts()).toBe(3);
  });
});
