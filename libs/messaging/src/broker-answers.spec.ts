import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { askAgainWhileTransient, isTransientBrokerAnswer } from './broker-answers';

// kafkajs builds its protocol errors from the broker's error code entry: message, type, code, retriable.
const answer = (type: string, code: number, retriable: boolean) =>
  new KafkaJSProtocolError(Object.assign(new Error(type), { type, code, retriable }));
const notLeader = () => answer('NOT_LEADER_FOR_PARTITION', 6, true);
const unreachable = () => new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092');

describe('isTransientBrokerAnswer', () => {
  it('should call a retriable protocol error transient, also wrapped by kafkajs once its retries ran out', () => {
    expect(isTransientBrokerAnswer(notLeader())).toBe(true);
    expect(
      isTransientBrokerAnswer(
        new KafkaJSNumberOfRetriesExceeded(notLeader(), { retryCount: 2, retryTime: 100 }),
      ),
    ).toBe(true);
  });

  it('should not call a final answer, a connection failure or a plain error transient', () => {
    expect(isTransientBrokerAnswer(answer('TOPIC_AUTHORIZATION_FAILED', 29, false))).toBe(false);
    expect(
      isTransientBrokerAnswer(
        new KafkaJSNumberOfRetriesExceeded(unreachable(), { retryCount: 2, retryTime: 100 }),
      ),
    ).toBe(false);
    expect(isTransientBrokerAnswer(new Error('boom'))).toBe(false);
    expect(isTransientBrokerAnswer('NOT_LEADER_FOR_PARTITION')).toBe(false);
  });
});

describe('askAgainWhileTransient', () => {
  const failingFirst = (...errors: Error[]) => {
    const asked = { times: 0 };
    const ask = async () => {
      asked.times++;
      const error = errors.shift();
      if (error) throw error;
      return 'answer';
    };
    return { ask, asked };
  };

  it('should ask again while the answer is transient, and return the first real answer', async () => {
    const { ask, asked } = failingFirst(notLeader(), notLeader());
    await expect(askAgainWhileTransient(ask)).resolves.toBe('answer');
    expect(asked.times).toBe(3);
  });

  it('should give up after its attempts with the last error', async () => {
    const { ask, asked } = failingFirst(notLeader(), notLeader(), notLeader());
    await expect(askAgainWhileTransient(ask, 2)).rejects.toThrow('NOT_LEADER_FOR_PARTITION');
    expect(asked.times).toBe(2);
  });

  it('should give up at once on an error asking again cannot mend', async () => {
    const { ask, asked } = failingFirst(unreachable());
    await expect(askAgainWhileTransient(ask)).rejects.toThrow('ECONNREFUSED');
    expect(asked.times).toBe(1);
  });
});
