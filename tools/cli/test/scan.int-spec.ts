import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import {
  createNewTopics,
  deleteTopicsWithPrefix,
  KafkaProbe,
  testInfrastructure,
  uniqueTopicPrefix,
} from '@loyalty/testing';
import { connectionFrom } from '../src/connection';
import { kafkaClient } from '../src/kafka';
import { scanTopics, type ScanOptions } from '../src/scan';

describe('scanTopics against the real broker', () => {
  const prefix = uniqueTopicPrefix();
  const connection = connectionFrom({ brokers: testInfrastructure().kafkaBrokers, prefix });
  const probe = new KafkaProbe();
  let admin: Admin;

  beforeAll(async () => {
    admin = kafkaClient(connection).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await probe.close();
    await admin?.disconnect();
    await deleteTopicsWithPrefix(prefix);
  });

  describe('failures on the way', () => {
    const topic = `${prefix}stay-recorded`;

    beforeAll(async () => {
      await createNewTopics(admin, [{ topic, numPartitions: 1 }]);
      await probe.produce(
        topic,
        [0, 1, 2, 3, 4].map((n) => ({ key: `k${n}`, value: JSON.stringify({ id: `e${n}` }) })),
      );
    });

    /** Scans the whole topic; `onRecord` fails with `failure(offset, sightings of that offset)` when it gives one. */
    async function scanFailingWith(failure: (offset: string, sightings: number) => Error | undefined) {
      const seen: string[] = [];
      const scan: ScanOptions = {
        topics: [topic],
        from: 'beginning',
        until: 'end',
        command: 'scan-test',
        onRecord: ({ offset }) => {
          seen.push(offset);
          const error = failure(offset, seen.filter((at) => at === offset).length);
          if (error) throw error;
        },
      };
      const outcome = scanTopics(connection, admin, scan);
      return { seen, outcome };
    }

    it('should read on from the failed record after kafkajs restarts its consumer, not give up or skip it', async () => {
      // Enough failures in a row to exhaust the runner's retries, so the consumer crashes and restarts.
      const { seen, outcome } = await scanFailingWith((offset, sightings) =>
        offset === '2' && sightings <= 7 ? new Error('the terminal went away for a moment') : undefined,
      );
      await expect(outcome).resolves.toEqual({ interrupted: false });
      expect(seen.filter((offset) => offset !== '2')).toEqual(['0', '1', '3', '4']);
      expect(seen.filter((offset) => offset === '2')).toHaveLength(8);
    });

    it('should give up with the error when the failure outlasts its restarts', async () => {
      const { seen, outcome } = await scanFailingWith((offset) =>
        offset === '1' ? new Error('the terminal is gone') : undefined,
      );
      await expect(outcome).rejects.toThrow('the terminal is gone');
      expect(seen).not.toContain('2');
    });

    it('should give up at once on an error kafkajs calls unrecoverable', async () => {
      const { seen, outcome } = await scanFailingWith((offset) =>
        offset === '0' ? new TypeError('a bug in the printer') : undefined,
      );
      await expect(outcome).rejects.toThrow('a bug in the printer');
      expect(seen).toEqual(['0']);
    });
  });

  describe('partitions a transactional producer wrote', () => {
    /** A one-partition topic holding `plain` records, then a transaction of one record that `ends` so. */
    async function topicEndingInTransaction(plain: number, ends: 'abort' | 'commit'): Promise<string> {
      const topic = `${prefix}stay-recorded-${randomUUID().slice(0, 8)}`;
      await createNewTopics(admin, [{ topic, numPartitions: 1 }]);
      if (plain > 0) {
        await probe.produce(
          topic,
          Array.from({ length: plain }, (_, n) => ({ key: `k${n}`, value: JSON.stringify({ id: `e${n}` }) })),
        );
      }
      const producer = new Kafka({
        brokers: testInfrastructure().kafkaBrokers.split(','),
        logLevel: logLevel.NOTHING,
      }).producer({ transactionalId: `tx-${randomUUID()}`, idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      try {
        const transaction = await producer.transaction();
        await transaction.send({
          topic,
          messages: [{ key: 'kt', value: JSON.stringify({ id: 'in-transaction' }) }],
        });
        await (ends === 'abort' ? transaction.abort() : transaction.commit());
      } finally {
        await producer.disconnect();
      }
      return topic;
    }

    async function scanToEnd(topic: string): Promise<{ seen: string[]; interrupted: boolean }> {
      const seen: string[] = [];
      const stopped = new Promise<void>((resolve) => setTimeout(resolve, 15_000).unref());
      const { interrupted } = await scanTopics(connection, admin, {
        topics: [topic],
        from: 'beginning',
        until: 'end',
        command: 'scan-test',
        stopped,
        onRecord: ({ value }) => {
          seen.push(String(value));
        },
      });
      return { seen, interrupted };
    }

    it('should finish a partition holding only an aborted transaction, reading nothing', async () => {
      const topic = await topicEndingInTransaction(0, 'abort');
      expect(await scanToEnd(topic)).toEqual({ seen: [], interrupted: false });
    });

    it('should finish a partition whose last records are an aborted transaction, reading those before it', async () => {
      const topic = await topicEndingInTransaction(2, 'abort');
      expect(await scanToEnd(topic)).toEqual({
        seen: [JSON.stringify({ id: 'e0' }), JSON.stringify({ id: 'e1' })],
        interrupted: false,
      });
    });

    it('should read a committed transaction and finish past its marker', async () => {
      const topic = await topicEndingInTransaction(1, 'commit');
      expect(await scanToEnd(topic)).toEqual({
        seen: [JSON.stringify({ id: 'e0' }), JSON.stringify({ id: 'in-transaction' })],
        interrupted: false,
      });
    });
  });
});
