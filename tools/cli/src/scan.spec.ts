import { KafkaJSGroupCoordinatorNotFound, KafkaJSProtocolError } from 'kafkajs';
import { heartbeatWhile, untilCoordinatorFound } from './scan';

// kafkajs's typings give this error no constructor arguments; at run time it needs its message.
const CoordinatorNotFound = KafkaJSGroupCoordinatorNotFound as unknown as new (message: string) => Error;

describe('untilCoordinatorFound', () => {
  const quick = { attempts: 4, pauseMs: 1 };

  /** An admin client whose broker names no coordinator for the first `missing` asks. */
  function brokerStarting(missing: number) {
    let asked = 0;
    return {
      admin: {
        describeGroups: async () => {
          asked++;
          if (asked <= missing) throw new CoordinatorNotFound('Failed to find group coordinator');
          return { groups: [] };
        },
      },
      asked: () => asked,
    };
  }

  it('should ask again while a broker that has just started names no coordinator', async () => {
    const broker = brokerStarting(3);
    await untilCoordinatorFound(broker.admin, 'loyalty-cli-tail-1', quick);
    expect(broker.asked()).toBe(4);
  });

  it('should give up with the broker’s error once the attempts are spent', async () => {
    const broker = brokerStarting(10);
    await expect(untilCoordinatorFound(broker.admin, 'loyalty-cli-tail-1', quick)).rejects.toThrow(
      'Failed to find group coordinator',
    );
    expect(broker.asked()).toBe(4);
  });

  it('should not ask again on any other error', async () => {
    let asked = 0;
    const admin = {
      describeGroups: async () => {
        asked++;
        throw new KafkaJSProtocolError('Not authorized to access group');
      },
    };
    await expect(untilCoordinatorFound(admin, 'loyalty-cli-tail-1', quick)).rejects.toThrow('Not authorized');
    expect(asked).toBe(1);
  });
});

describe('heartbeatWhile', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('should heartbeat while a record handler waits, and stop once it is done', async () => {
    const heartbeat = jest.fn(async () => undefined);
    let done!: (more: boolean) => void;
    const waiting = heartbeatWhile(new Promise<boolean>((resolve) => (done = resolve)), heartbeat, 1_000);
    jest.advanceTimersByTime(30_000);
    expect(heartbeat).toHaveBeenCalledTimes(30);
    done(true);
    await expect(waiting).resolves.toBe(true);
    jest.advanceTimersByTime(30_000);
    expect(heartbeat).toHaveBeenCalledTimes(30);
  });
});
