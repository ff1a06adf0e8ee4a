import { setTimeout as sleep } from 'node:timers/promises';
import { postgresControl, waitUntil } from '@loyalty/testing';
import { LedgerHarness } from './ledger-harness';

describe('points-ledger through a Postgres outage (real Postgres stopped and started)', () => {
  let harness: LedgerHarness;
  const postgres = postgresControl();

  beforeAll(async () => {
    harness = await LedgerHarness.create('ledger_outage');
  });

  afterAll(async () => {
    postgres.start(); // whatever happened in the test, the next suites need Postgres back
    await harness.close();
  });

  it('should lose nothing and resume by itself when Postgres stops during consumption', async () => {
    const ledger = await harness.startLedger();
    const stays = harness.stays(1500);
    const sending = harness.sendSteadily(stays, 100, 200);
    await waitUntil('the ledger to start crediting', async () => (await harness.credits()) > 0);

    postgres.stop();
    await sleep(5_000);
    postgres.start();
    await sending;

    await harness.assertExactlyOnce(stays);
    expect(ledger.running).toBe(true);
  });
});
