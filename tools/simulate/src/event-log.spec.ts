import { AssignerProtocol, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, type Admin } from 'kafkajs';
import { eventTopics, platformOffsets, totalLag } from './event-log';

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
    // Its service is stopped: no members, so its commits are what it resumes from.
    describeGroups: async (groupIds: string[]) => ({
      groups: groupIds.map((groupId) => ({ groupId, protocolType: 'consumer', members: [] })),
    }),
  } as unknown as Admin;
}

const assignment = (topics: Record<string, number[]>) =>
  AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: topics, userData: Buffer.alloc(0) });

/** A broker holding 10 records of `stay-recorded` and 4 of `guest-merged`, with the groups given. */
function brokerWith(
  groups: Record<string, { committed: Record<string, number>; assigned: Record<string, number[]> }>,
): Admin {
  return {
    listTopics: async () => ['stay-recorded', 'guest-merged'],
    fetchTopicOffsets: async (topic: string) => [
      { partition: 0, offset: '0', high: topic === 'stay-recorded' ? '10' : '4', low: '0' },
    ],
    listGroups: async () => ({
      groups: Object.keys(groups).map((groupId) => ({ groupId, protocolType: 'consumer' })),
    }),
    fetchOffsets: async ({ groupId, topics }: { groupId: string; topics: string[] }) =>
      topics.map((topic) => ({
        topic,
        partitions: [
          { partition: 0, offset: String(groups[groupId].committed[topic] ?? -1), metadata: null },
        ],
      })),
    describeGroups: async (groupIds: string[]) => ({
      groups: groupIds.map((groupId) => ({
        groupId,
        protocolType: 'consumer',
        members: [{ memberId: 'm1', memberAssignment: assignment(groups[groupId].assigned) }],
      })),
    }),
  } as unknown as Admin;
}

describe('eventTopics', () => {
  it('should list every event topic, those the summary does not read among them, when given a prefix', () => {
    const topics = eventTopics('p.');
    const unsummarised = ['detractor-identified', 'guest-registered', 'guest-merged', 'compensation-granted'];
    for (const topic of ['stay-recorded', ...unsummarised]) expect(topics).toContain(`p.${topic}`);
    expect(topics.filter((topic) => !topic.startsWith('p.') || topic.endsWith('.dlq'))).toEqual([]);
  });
});

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

  it('should count all a partition holds when a group is assigned it but has committed nothing yet', async () => {
    const justStarted = {
      listTopics: async () => ['stay-recorded', 'guest-merged'],
      fetchTopicOffsets: async (topic: string) =>
        topic === 'stay-recorded'
          ? [
              { partition: 0, offset: '10', high: '10', low: '2' },
              { partition: 1, offset: '5', high: '5', low: '0' },
            ]
          : [{ partition: 0, offset: '4', high: '4', low: '0' }],
      listGroups: async () => ({ groups: [{ groupId: 'points-ledger', protocolType: 'consumer' }] }),
      fetchOffsets: async () => [
        {
          topic: 'stay-recorded',
          partitions: [
            { partition: 0, offset: '-1', metadata: null },
            { partition: 1, offset: '3', metadata: null },
          ],
        },
        // A topic the group does not read: no commit there either, and nothing behind.
        { topic: 'guest-merged', partitions: [{ partition: 0, offset: '-1', metadata: null }] },
      ],
      describeGroups: async (groupIds: string[]) => ({
        groups: groupIds.map((groupId) => ({
          groupId,
          protocolType: 'consumer',
          members: [
            { memberId: 'm1', memberAssignment: assignment({ 'stay-recorded': [0] }) },
            { memberId: 'm2', memberAssignment: assignment({ 'stay-recorded': [1] }) },
            // A member between assignments has none yet.
            { memberId: 'm3', memberAssignment: Buffer.alloc(0) },
          ],
        })),
      }),
    } as unknown as Admin;
    // Partition 0: the 8 records it holds; partition 1: 5 - 3.
    await expect(totalLag(justStarted, ['stay-recorded', 'guest-merged'])).resolves.toBe(10);
  });
  it('should not ask which partitions are assigned when every partition is caught up or empty', async () => {
    const describeGroups = jest.fn();
    const quiet = {
      listTopics: async () => ['stay-recorded', 'guest-merged'],
      fetchTopicOffsets: async (topic: string) => [
        topic === 'stay-recorded'
          ? { partition: 0, offset: '10', high: '10', low: '2' }
          : { partition: 0, offset: '4', high: '4', low: '4' },
      ],
      listGroups: async () => ({ groups: [{ groupId: 'points-ledger', protocolType: 'consumer' }] }),
      fetchOffsets: async () => [
        { topic: 'stay-recorded', partitions: [{ partition: 0, offset: '10', metadata: null }] },
        { topic: 'guest-merged', partitions: [{ partition: 0, offset: '-1', metadata: null }] },
      ],
      describeGroups,
    } as unknown as Admin;
    await expect(totalLag(quiet, ['stay-recorded', 'guest-merged'])).resolves.toBe(0);
    expect(describeGroups).not.toHaveBeenCalled();
  });

  it('should leave out the commits a running group keeps on a topic it no longer reads', async () => {
    // Profiles moved stay-recorded to a lane; Kafka keeps the old group's commit on it for days.
    const broker = brokerWith({
      profiles: { committed: { 'stay-recorded': 4, 'guest-merged': 3 }, assigned: { 'guest-merged': [0] } },
    });
    await expect(totalLag(broker, ['stay-recorded', 'guest-merged'])).resolves.toBe(1);
  });

  it("should leave out the on-call CLI's groups, which read without committing", async () => {
    const broker = brokerWith({
      profiles: { committed: { 'stay-recorded': 10 }, assigned: { 'stay-recorded': [0] } },
      'loyalty-cli-tail-1a2b3c': { committed: {}, assigned: { 'stay-recorded': [0] } },
    });
    await expect(totalLag(broker, ['stay-recorded', 'guest-merged'])).resolves.toBe(0);
  });
});

describe('platformOffsets', () => {
  const admin = {
    listGroups: async () => ({
      groups: ['profiles', 'surveys', 'loyalty-simulator-probe-1'].map((groupId) => ({ groupId })),
    }),
    fetchOffsets: async ({ groupId }: { groupId: string }) => [
      {
        topic: 't',
        partitions: [
          { partition: 0, offset: groupId === 'surveys' ? '-1' : '4' },
          { partition: 1, offset: '2' },
        ],
      },
    ],
  } as unknown as Admin;

  it("should list the platform's groups' offsets, not the simulator's, nor partitions a group does not read", async () => {
    await expect(platformOffsets(admin, ['t'])).resolves.toEqual([
      { topic: 't', partition: 0, offset: 4 },
      { topic: 't', partition: 1, offset: 2 },
      { topic: 't', partition: 1, offset: 2 },
    ]);
  });

  it('should ask for nothing when given no topics (kafkajs would answer for every topic)', async () => {
    await expect(platformOffsets(admin, [])).resolves.toEqual([]);
  });
});
