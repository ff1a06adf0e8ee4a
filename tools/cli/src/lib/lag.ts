/** One partition of one group's subscription. `committed` is undefined when the group never committed. */
export interface PartitionLag {
  group: string;
  topic: string;
  partition: number;
  committed?: number;
  end: number;
  /**
   * end − committed; without a commit, end − log start (what is still to read if the group starts at the
   * beginning), so a partition of its topics the group never committed on does not pass for caught up.
   */
  lag: number;
  /** Set when the partition is of the group's topics but the group has never committed there. */
  uncommitted?: true;
}

export interface GroupLag {
  group: string;
  partitions: PartitionLag[];
  totalLag: number;
}

/**
 * Lag per partition from committed offsets (kafkajs gives "-1" for none) and log offsets, in the
 * arithmetic of Kafka's `kafka-consumer-groups --describe`: LAG = LOG-END-OFFSET − CURRENT-OFFSET. A
 * partition in `consumed` without a commit is counted from its log start, where Kafka's tool shows "-".
 */
export function computeLag(
  group: string,
  committed: { topic: string; partition: number; offset: string }[],
  ends: { topic: string; partition: number; high: string; low: string }[],
  consumed: { topic: string; partition: number }[] = [],
): GroupLag {
  const key = (p: { topic: string; partition: number }) => `${p.topic}\u0000${p.partition}`;
  const logOf = new Map(ends.map((end) => [key(end), { high: Number(end.high), low: Number(end.low) }]));
  const offsets = new Map(committed.map((row) => [key(row), row]));
  for (const { topic, partition } of consumed) {
    const known = offsets.get(key({ topic, partition }));
    if (!known) offsets.set(key({ topic, partition }), { topic, partition, offset: '-1' });
  }
  const partitions = [...offsets.values()]
    .map(({ topic, partition, offset }): PartitionLag => {
      const { high: end, low } = logOf.get(key({ topic, partition })) ?? { high: 0, low: 0 };
      const at = Number(offset);
      if (!(at >= 0)) return { group, topic, partition, end, lag: Math.max(0, end - low), uncommitted: true };
      return { group, topic, partition, committed: at, end, lag: Math.max(0, end - at) };
    })
    .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  return { group, partitions, totalLag: partitions.reduce((sum, p) => sum + p.lag, 0) };
}
