import { isEventType } from '@loyalty/contracts';

/**
 * Whether a topic is one of this environment's: its prefix, then a catalogue event type, or its dead
 * letters. Several environments (test runs, benchmarks, another prefix that starts with this one) can
 * share a broker; with the default empty prefix every topic starts with it.
 */
export function isEnvironmentTopic(topic: string, prefix: string): boolean {
  if (!topic.startsWith(prefix)) return false;
  const name = topic.slice(prefix.length);
  return isEventType(name.endsWith('.dlq') ? name.slice(0, -'.dlq'.length) : name);
}
