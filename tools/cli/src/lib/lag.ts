/** One partition of one group's subscription. `committed` is undefined when the group never committed. */
export interface PartitionLag {
  group: string;
  topic: string;
  partition: number;
  committed?: number;
  end: number;
  /** end − committed; undefined without a commit (as Kafka's own tool shows "-"). */
  lag?: number;
}

export interface GroupLag {
  group: string;
  partitions: PartitionLag[];
  totalLag: number;
}

/**
 * Lag per partition from committed offsets (kafkajs gives "-1" for none) and log-end offsets, in the
 * arithmetic of Kafka's `kafka-consumer-groups --describe`: LAG = LOG-END-OFFSET − CURRENT-OFFSET.
 */
export function computeLag(
  group: string,
  committed: { topic: string; partition: number; offset: string }[],
  ends: { topic: string; partition: number; high: string }[],
): GroupLag {
  const endOf = new Map(ends.map((end) => [`${end.topic}\u0000${end.partition}`, Number(end.high)]));
  const partitions = committed
    .map(({ topic, partition, offset }): PartitionLag => {
      const end = endOf.get(`${topic}\u0000${partition}`) ?? 0;
      const at = Number(offset);
      if (!(at >= 0)) return { group, topic, partition, end };
      return { group, topic, partition, committed: at, end, lag: Math.max(0, end - at) };
    })
    .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  return { group, partitions, totalLag: partitions.reduce((sum, p) => sum + (p.lag ?? 0), 0) };
}
