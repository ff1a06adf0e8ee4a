import { EVENT_TYPES, eventCatalog, isEventType, type EventType } from './catalog';

const TOPIC_PREFIX = /^[A-Za-z0-9._-]*$/;
const DEAD_LETTER_SUFFIX = '.dlq';

/** A topic to create at start-up. `config` is in Kafka's topic-config names, values as strings. */
export interface TopicDeclaration {
  topic: string;
  eventType: EventType;
  kind: 'events' | 'dead-letters';
  partitions: number;
  retentionMs: number;
  config: Record<string, string>;
}

/** The topic of an event type: the type itself, after an optional environment prefix (e.g. `staging.`). */
export function topicName(type: EventType, prefix = ''): string {
  assertPrefix(prefix);
  return `${prefix}${type}`;
}

/** Where a topic's consumers put messages they cannot process: `<topic>.dlq`. */
export function deadLetterTopicName(topic: string): string {
  return `${topic}${DEAD_LETTER_SUFFIX}`;
}

/** The event type of an event topic (not of a dead-letter topic), or undefined. */
export function eventTypeOfTopic(topic: string, prefix = ''): EventType | undefined {
  assertPrefix(prefix);
  if (!topic.startsWith(prefix)) return undefined;
  const type = topic.slice(prefix.length);
  return isEventType(type) ? type : undefined;
}

/** Every event topic and its dead-letter topic, with the settings to create them with. */
export function topicDeclarations(prefix = ''): TopicDeclaration[] {
  return EVENT_TYPES.flatMap((eventType) => {
    const { partitions, retentionMs } = eventCatalog[eventType].topic;
    const topic = topicName(eventType, prefix);
    const config = { 'cleanup.policy': 'delete', 'retention.ms': String(retentionMs) };
    return [
      { topic, eventType, kind: 'events' as const, partitions, retentionMs, config },
      {
        topic: deadLetterTopicName(topic),
        eventType,
        kind: 'dead-letters' as const,
        partitions,
        retentionMs,
        config,
      },
    ];
  });
}

function assertPrefix(prefix: string): void {
  if (!TOPIC_PREFIX.test(prefix))
    throw new Error(`topic prefix "${prefix}" may only hold letters, digits, '.', '_' and '-'`);
}
