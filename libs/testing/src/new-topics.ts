import type { Admin, ITopicConfig } from 'kafkajs';
import { waitUntil } from './wait-until';

/**
 * Creates new topics and waits until every partition has a leader: kafkajs' own wait can fail spuriously
 * on a busy broker. Throws when one exists already, as a topic the service provisioned does: kafkajs then
 * leaves it as it is, `configEntries` unapplied, without an error.
 */
export async function createNewTopics(admin: Admin, topics: ITopicConfig[]): Promise<void> {
  const names = topics.map((t) => t.topic);
  if (!(await admin.createTopics({ waitForLeaders: false, topics }))) {
    throw new Error(`a topic of ${names.join(', ')} exists already`);
  }
  await waitUntil(
    'the topics to have leaders',
    async () => {
      for (const name of names) await admin.fetchTopicOffsets(name);
      return true;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
}
