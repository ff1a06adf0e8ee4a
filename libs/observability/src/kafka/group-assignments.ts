import { AssignerProtocol, type Admin } from 'kafkajs';

/** One partition a consumer group's member is assigned now. */
export interface AssignedPartition {
  groupId: string;
  topic: string;
  partition: number;
}

/**
 * The partitions the members of `groupIds` are assigned now, asked in one `describeGroups` request.
 * A group without members (or not a consumer group) has none; so has a member between assignments.
 */
export async function assignedPartitions(admin: Admin, groupIds: string[]): Promise<AssignedPartition[]> {
  if (groupIds.length === 0) return [];
  const { groups } = await admin.describeGroups(groupIds);
  return groups
    .filter((group) => group.protocolType === 'consumer')
    .flatMap(({ groupId, members }) =>
      members
        .flatMap(({ memberAssignment }) =>
          Object.entries(AssignerProtocol.MemberAssignment.decode(memberAssignment)?.assignment ?? {}),
        )
        .flatMap(([topic, partitions]) => partitions.map((partition) => ({ groupId, topic, partition }))),
    );
}
