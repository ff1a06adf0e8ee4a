import { randomUUID } from 'node:crypto';
import type { DataSource, QueryRunner } from 'typeorm';
import { dataSourceOptions, lockKeysUntilCommit, openDataSource } from '@loyalty/persistence';
import { createTestDatabase, waitUntil, type TestDatabase } from '@loyalty/testing';

describe('keys locked until commit, against the real Postgres', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const open: QueryRunner[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('advisory_locks');
    dataSource = await openDataSource(
      dataSourceOptions({
        url: db.url,
        poolSize: 4,
        applicationName: 'advisory-locks-test',
        entities: [],
        migrations: [],
        migrateOnStart: false,
      }),
    );
  });

  afterEach(async () => {
    for (const runner of open.splice(0)) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  /** A transaction of its own, left open, and its backend's pid. */
  const transaction = async () => {
    const runner = dataSource.createQueryRunner();
    open.push(runner);
    await runner.startTransaction();
    const [{ pid }] = await runner.query('select pg_backend_pid() as pid');
    return { runner, pid: pid as number };
  };

  /** The pids `pid` waits for. */
  const blockers = async (pid: number) => {
    const [{ pids }] = await db.query<{ pids: number[] }>('select pg_blocking_pids($1) as pids', [pid]);
    return [...pids].sort();
  };

  /** Starts taking the keys; `taken()` says whether they are held yet. */
  const taking = (runner: QueryRunner, keys: string[], shared?: boolean) => {
    let taken = false;
    const done = lockKeysUntilCommit(runner.manager, keys, shared === undefined ? {} : { shared }).then(
      () => (taken = true),
    );
    return { done, taken: () => taken };
  };

  /** Whether the taker got its keys or waits for others: whichever shows first. */
  const outcomeOf = (take: { taken: () => boolean }, pid: number) =>
    waitUntil(`transaction ${pid} to take its keys or wait`, async () =>
      take.taken() ? 'taken' : (await blockers(pid)).length > 0 ? 'waiting' : undefined,
    );

  it('should not make transactions holding overlapping keys shared wait for each other, and make an exclusive taker wait for all of them', async () => {
    const [k1, k2, k3] = [randomUUID(), randomUUID(), randomUUID()];
    const first = await transaction();
    await lockKeysUntilCommit(first.runner.manager, [k1, k2], { shared: true });
    const second = await transaction();
    const sharing = taking(second.runner, [k3, k2], true);
    expect(await outcomeOf(sharing, second.pid)).toBe('taken');

    const exclusive = await transaction();
    const excluding = taking(exclusive.runner, [k2]);
    await waitUntil('the exclusive taker to wait for both', async () =>
      (await blockers(exclusive.pid)).length === 2 ? true : undefined,
    );
    expect(await blockers(exclusive.pid)).toEqual([first.pid, second.pid].sort());
    await first.runner.commitTransaction();
    await waitUntil('the exclusive taker to wait for the second only', async () =>
      (await blockers(exclusive.pid)).length === 1 ? true : undefined,
    );
    expect(excluding.taken()).toBe(false);
    await second.runner.commitTransaction();
    await excluding.done;
  });

  it('should make a shared taker wait for an exclusive holder, and an exclusive taker for either, by default', async () => {
    const key = randomUUID();
    const holder = await transaction();
    await lockKeysUntilCommit(holder.runner.manager, [key]);
    const shared = await transaction();
    const sharing = taking(shared.runner, [key], true);
    // Queued before the exclusive taker asks: Postgres grants waiters in the order they asked, and an
    // exclusive taker ahead of it would leave the shared one waiting behind a lock this test never frees.
    expect(await outcomeOf(sharing, shared.pid)).toBe('waiting');
    const exclusive = await transaction();
    const excluding = taking(exclusive.runner, [key]);
    expect(await outcomeOf(excluding, exclusive.pid)).toBe('waiting');

    await holder.runner.commitTransaction();
    await sharing.done;
    // The exclusive taker waits for the shared holder now.
    expect(await outcomeOf(excluding, exclusive.pid)).toBe('waiting');
    expect(await blockers(exclusive.pid)).toEqual([shared.pid]);
    await shared.runner.commitTransaction();
    await excluding.done;
  });
});
