import { KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, type Admin } from 'kafkajs';
import { totalLag } from './event-log';

// kafkajs builds its protocol errors from the broker's error code entry: message, type, code, retriable.
const notLeader = () =>
  new KafkaJSProtocolError(
    Object.assign(new Error('This server is not the leader for that topic-partition'), {
      type: 'NOT_LEADER_FOR_PARTITION',
      code: 6,
      retriable: true,
    }),
  );

/** An admin whose offsets answer fails with the given errors first, then reports 7 messages behind. */
function adminFailingWith(...errors: Error[]): Admin {
  return {
    listTopics: async () => ['t'],
    fetchTopicOffsets: async () => {
      const error = errors.shift();
      if (error) throw error;
      return [{ partition: 0, offset: '10', high: '10', low: '0' }];
    },
    listGroups: async () => ({ groups: [{ groupId: 'profiles', protocolType: 'consumer' }] }),
    fetchOffsets: async () => [{ topic: 't', partitions: [{ partition: 0, offset: '3', metadata: null }] }],
  } as unknown as Admin;
}

describe('totalLag', () => {
  it('should ask again when the broker answers with a retriable error, also one wrapped by kafkajs', async () => {
    const wrapped = new KafkaJSNumberOfRetriesExceeded(notLeader(), { retryCount: 5, retryTime: 100 });
    await expect(totalLag(adminFailingWith(notLeader(), wrapped), ['t'])).resolves.toBe(7);
  });

  it('should give up after its attempts, and at once on an error that asking again cannot mend', async () => {
    await expect(totalLag(adminFailingWith(notLeader(), notLeader()), ['t'], 2)).rejects.toThrow(
      'not the leader',
    );
    await expect(totalLag(adminFailingWith(new Error('unknown topic')), ['t'])).rejects.toThrow(
      'unknown topic',
    );
  });
});
