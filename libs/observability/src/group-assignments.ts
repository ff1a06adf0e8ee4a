// Which partitions consumer groups are assigned now, for lag reports: kafkajs alone, so a tool that only
// reports lag (the CLI) imports this entry rather than the library's, which loads Nest and the metrics.
export { assignedPartitions, type AssignedPartition } from './kafka/group-assignments';

/**
 * The on-call CLI's throw-away consumer groups: never committed to, deleted on exit, so no lag report
 * counts them as the pipeline's work.
 */
export const CLI_GROUP_PREFIX = 'loyalty-cli-';
