import { AssignerProtocol, type Admin } from 'kafkajs';
import { assignedPartitions } from './group-assignments';

const assignment = (topics: Record<string, number[]>) =>
  AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: topics, userData: Buffer.alloc(0) });

describe('assignedPartitions', () => {
  it("should list each consumer group's assigned partitions when asked for several groups at once", async () => {
    const describeGroups = jest.fn(async () => ({
      groups: [
        {
          groupId: 'points-ledger',
          protocolType: 'consumer',
          members: [
            { memberAssignment: assignment({ 'stay-recorded': [0, 1] }) },
            // A member between assignments has none yet.
            { memberAssignment: Buffer.alloc(0) },
          ],
        },
        {
          groupId: 'connect-sink',
          protocolType: 'connect',
          members: [{ memberAssignment: Buffer.alloc(0) }],
        },
        { groupId: 'idle', protocolType: '', members: [] },
      ],
    }));
    const admin = { describeGroups } as unknown as Admin;
    await expect(assignedPartitions(admin, ['points-ledger', 'connect-sink', 'idle'])).resolves.toEqual([
      { groupId: 'points-ledger', topic: 'stay-recorded', partition: 0 },
      { groupId: 'points-ledger', topic: 'stay-recorded', partition: 1 },
    ]);
    expect(describeGroups).toHaveBeenCalledTimes(1);
  });

  it('should ask the broker nothing when given no groups', async () => {
    const admin = { describeGroups: jest.fn() } as unknown as Admin;
    await expect(assignedPartitions(admin, [])).resolves.toEqual([]);
    expect(admin.describeGroups).not.toHaveBeenCalled();
  });
});
