// Which partitions consumer groups are assigned now, for lag reports: kafkajs alone, so a tool that only
// reports lag (the CLI) imports this entry rather than the library's, which loads Nest and the metrics.
export { assignedPartitions, type AssignedPartition } from './kafka/group-assignments';
