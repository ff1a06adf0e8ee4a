import { BadRequestException } from '@nestjs/common';
import type { Clock } from '@loyalty/platform';
import { PointsLedgerConfig } from '../config/points-ledger.config';
import type { LedgerJobsService } from './ledger-jobs.service';
import { OperationsController } from './operations.controller';
import type { ReconciliationService } from './reconciliation.service';

const NOW = new Date('2026-03-01T12:00:00.000Z');

function controller(nodeEnv: string) {
  const run = jest.fn(async (job: string, asOf: Date) => ({ job, period: asOf.toISOString(), ran: true }));
  const config = Object.assign(new PointsLedgerConfig(), { NODE_ENV: nodeEnv });
  const operations = new OperationsController(
    { run } as unknown as LedgerJobsService,
    {} as ReconciliationService,
    { now: () => NOW } as Clock,
    config,
  );
  return { operations, run };
}

async function refusalOf(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    if (error instanceof BadRequestException) return error.getResponse();
    throw error;
  }
  throw new Error('the request was accepted');
}

describe('OperationsController jobs', () => {
  it('should refuse asOf with AS_OF_NOT_ALLOWED and run nothing when NODE_ENV is production', async () => {
    const { operations, run } = controller('production');
    for (const job of ['expire-points', 'release-pending'] as const) {
      expect(await refusalOf(() => operations.runJob(job, { asOf: '2090-01-01' }))).toEqual({
        code: 'AS_OF_NOT_ALLOWED',
        message: 'asOf is refused when NODE_ENV is production: jobs run at the current time',
      });
    }
    expect(run).not.toHaveBeenCalled();
  });

  it("should run at the service's time without asOf when NODE_ENV is production", async () => {
    const { operations, run } = controller('production');
    await operations.runJob('expire-points', {});
    expect(run).toHaveBeenCalledWith('expire-points', NOW);
  });

  it('should run as of asOf when NODE_ENV is not production', async () => {
    const { operations, run } = controller('development');
    await operations.runJob('expire-points', { asOf: '2090-01-01T00:00:00Z' });
    expect(run).toHaveBeenCalledWith('expire-points', new Date('2090-01-01T00:00:00Z'));
  });
});
