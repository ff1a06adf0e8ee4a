import { Logger } from '@nestjs/common';
import type { EventType } from '@loyalty/contracts';
import type { EventMetrics } from '@loyalty/observability';
import type { DataSource } from 'typeorm';
import type {
  BatchControl,
  BrokerClient,
  ConsumerPort,
  ConsumerSettings,
  IncomingMessage,
  PartitionBatch,
  ProducerPort,
} from '../kafka/broker-client';
import type { OutboxRelay } from '../outbox/outbox-relay';
import type { OutboxWriter } from '../outbox/outbox-writer';
import { CrashPoints } from './crash-points';
import {
  EventTransport,
  laneGroupId,
  recordsBehind,
  type ConsumerLane,
  type EventTransportSettings,
} from './event-transport';

/** The consumers a transport asks its broker client for: one per group, with the topics it subscribes. */
function recordingBroker(
  subscriptions: Map<string, string[]>,
  settings: ConsumerSettings[] = [],
): BrokerClient {
  const idle = { connect: async () => undefined, disconnect: async () => undefined };
  return {
    producer: () => ({ ...idle, send: async () => undefined }) as ProducerPort,
    consumer: (consumerSettings) => {
      settings.push(consumerSettings);
      const { groupId } = consumerSettings;
      return {
        ...idle,
        subscribe: async (topics: string[]) => void subscriptions.set(groupId, topics),
        run: async () => undefined,
        onGroupJoin: () => undefined,
      } as ConsumerPort;
    },
    admin: () => {
      throw new Error('the transport needs no admin client');
    },
    onConsumerStopped: () => undefined,
  };
}

const TRANSPORT_FETCH = { minBytes: 4096, maxWaitMs: 250 };

async function startWith(
  types: EventType[],
  lanes: ConsumerLane[],
  consumers: ConsumerSettings[] = [],
): Promise<Map<string, string[]>> {
  const subscriptions = new Map<string, string[]>();
  const settings = {
    groupId: 'svc',
    topicPrefix: 'p.',
    lanes,
    fetch: TRANSPORT_FETCH,
  } as unknown as EventTransportSettings;
  const transport = new EventTransport(
    recordingBroker(subscriptions, consumers),
    {} as DataSource,
    {} as OutboxWriter,
    { start: () => undefined } as unknown as OutboxRelay,
    {} as EventMetrics,
    { failLiveness: () => undefined },
    settings,
    new CrashPoints(undefined),
  );
  for (const type of types) transport.addHandler(type, async () => undefined, true);
  await new Promise<void>((resolve, reject) =>
    transport.listen((error) => (error ? reject(error as Error) : resolve())),
  );
  return subscriptions;
}

describe('consumer lanes', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('should read each lane under a group of its own and every other type under the service group', async () => {
    const subscriptions = await startWith(
      ['stay-completed', 'points-earned', 'tier-changed', 'guest-merged'],
      [{ types: ['stay-completed'] }, { types: ['tier-changed', 'guest-merged'] }],
    );
    expect(Object.fromEntries(subscriptions)).toEqual({
      svc: ['p.points-earned'],
      'svc.stay-completed': ['p.stay-completed'],
      'svc.tier-changed+guest-merged': ['p.tier-changed', 'p.guest-merged'],
    });
  });

  it('should fetch as the transport says, and a lane as it says when it says so', async () => {
    const consumers: ConsumerSettings[] = [];
    const eager = { minBytes: 1, maxWaitMs: 5_000 };
    await startWith(
      ['stay-completed', 'points-earned', 'tier-changed'],
      [{ types: ['stay-completed'], fetch: eager }, { types: ['tier-changed'] }],
      consumers,
    );
    expect(Object.fromEntries(consumers.map(({ groupId, fetch }) => [groupId, fetch]))).toEqual({
      'svc.stay-completed': eager,
      svc: TRANSPORT_FETCH,
      'svc.tier-changed': TRANSPORT_FETCH,
    });
  });

  it('should name the lane group only for a type in a lane', () => {
    const lanes = [{ types: ['stay-completed' as const] }];
    expect(laneGroupId('svc', lanes, 'stay-completed')).toBe('svc.stay-completed');
    expect(laneGroupId('svc', lanes, 'points-earned')).toBe('svc');
  });

  it('should refuse a lane of a type no handler consumes, and a type in two lanes', async () => {
    await expect(startWith(['points-earned'], [{ types: ['stay-completed'] }])).rejects.toThrow(
      'lanes name stay-completed, which no handler consumes',
    );
    await expect(
      startWith(['points-earned'], [{ types: ['points-earned'] }, { types: ['points-earned'] }]),
    ).rejects.toThrow('an event type is in more than one lane');
  });
});

describe('the lag a batch leaves', () => {
  // Offsets 40-44 fetched while the partition's next record would take offset 50.
  const batch: PartitionBatch = {
    topic: 'p.points-earned',
    partition: 0,
    messages: [40, 41, 42, 43, 44].map((offset) => ({ offset: String(offset) }) as IncomingMessage),
    highWatermark: '50',
    lastOffset: '44',
  };

  it('should count the records after the last one handled, not the batch itself', () => {
    expect(recordsBehind(batch, '44')).toBe(5);
    expect(recordsBehind({ ...batch, highWatermark: '45' }, '44')).toBe(0);
  });

  it('should count the rest of the batch when it stopped part way', () => {
    expect(recordsBehind(batch, '41')).toBe(8);
  });

  it('should count nothing for the transaction marker after the last message once that is handled', () => {
    const transactional = { ...batch, highWatermark: '46', lastOffset: '45' };
    expect(recordsBehind(transactional, '44')).toBe(0);
    expect(recordsBehind(transactional, '43')).toBe(2);
  });

  it('should count from the first record when none was handled', () => {
    expect(recordsBehind(batch, undefined)).toBe(10);
    expect(recordsBehind({ ...batch, messages: [] }, undefined)).toBe(0);
  });
});

describe('the lag a member reports', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('should drop the lag of a partition a rebalance gave to another member, and keep that of one it still reads', async () => {
    let onBatch: ((batch: PartitionBatch, control: BatchControl) => Promise<void>) | undefined;
    let onJoin: ((assigned: Record<string, number[]>) => void) | undefined;
    const idle = { connect: async () => undefined, disconnect: async () => undefined };
    const broker = {
      producer: () => ({ ...idle, send: async () => undefined }) as ProducerPort,
      consumer: () =>
        ({
          ...idle,
          subscribe: async () => undefined,
          run: async (handle: typeof onBatch) => void (onBatch = handle),
          onGroupJoin: (listener: typeof onJoin) => void (onJoin = listener),
        }) as unknown as ConsumerPort,
      admin: () => {
        throw new Error('the transport needs no admin client');
      },
      onConsumerStopped: () => undefined,
    } as BrokerClient;
    const lag = new Map<string, number>();
    const metrics = {
      setLag: (_group: string, topic: string, partition: number, n: number) =>
        lag.set(`${topic}:${partition}`, n),
      removeLag: (_group: string, topic: string, partition: number) => lag.delete(`${topic}:${partition}`),
    } as unknown as EventMetrics;
    const transport = new EventTransport(
      broker,
      {} as DataSource,
      {} as OutboxWriter,
      { start: () => undefined } as unknown as OutboxRelay,
      metrics,
      { failLiveness: () => undefined },
      {
        groupId: 'svc',
        topicPrefix: 'p.',
        lanes: [],
        fetch: TRANSPORT_FETCH,
      } as unknown as EventTransportSettings,
      new CrashPoints(undefined),
    );
    transport.addHandler('points-earned', async () => undefined, true);
    await new Promise<void>((resolve, reject) =>
      transport.listen((error) => (error ? reject(error as Error) : resolve())),
    );
    // A backlog on partitions 1 and 3, each batch stopped by a rebalance before any of it was handled.
    const stopped: BatchControl = {
      heartbeat: async () => undefined,
      shouldContinue: () => false,
      commit: async () => undefined,
    };
    for (const partition of [1, 3]) {
      await onBatch?.(
        {
          topic: 'p.points-earned',
          partition,
          messages: [{ offset: '10', value: Buffer.from('{}') } as IncomingMessage],
          highWatermark: '60',
          lastOffset: '10',
        },
        stopped,
      );
    }
    expect(Object.fromEntries(lag)).toEqual({ 'p.points-earned:1': 50, 'p.points-earned:3': 50 });

    onJoin?.({ 'p.points-earned': [0, 1] });

    expect(Object.fromEntries(lag)).toEqual({ 'p.points-earned:1': 50 });
  });
});
