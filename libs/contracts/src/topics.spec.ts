import { deadLetterTopicName, EVENT_TYPES, eventTypeOfTopic, topicDeclarations, topicName } from './index';

describe('topic naming', () => {
  it('should name the topic after the event type when there is no prefix', () => {
    expect(topicName('stay-completed')).toBe('stay-completed');
  });

  it('should put the environment prefix first when there is one', () => {
    expect(topicName('stay-completed', 'staging.')).toBe('staging.stay-completed');
  });

  it('should put dead letters beside the topic', () => {
    expect(deadLetterTopicName(topicName('stay-completed', 'staging.'))).toBe('staging.stay-completed.dlq');
  });

  it('should map a topic back to its event type when the prefix matches', () => {
    expect(eventTypeOfTopic('staging.tier-changed', 'staging.')).toBe('tier-changed');
    expect(eventTypeOfTopic('tier-changed')).toBe('tier-changed');
  });

  it.each([
    ['tier-changed.dlq', ''],
    ['prod.tier-changed', 'staging.'],
    ['no-such-event', ''],
  ])('should return undefined when %s is not an event topic under prefix %p', (topic, prefix) => {
    expect(eventTypeOfTopic(topic, prefix)).toBeUndefined();
  });

  it('should reject a prefix Kafka would not accept in a topic name', () => {
    expect(() => topicName('stay-completed', 'my env/')).toThrow('topic prefix');
  });
});

describe('topicDeclarations', () => {
  it('should declare every event topic and its dead-letter topic when called with a prefix', () => {
    const declarations = topicDeclarations('dev.');

    expect(declarations).toHaveLength(EVENT_TYPES.length * 2);
    for (const type of EVENT_TYPES) {
      expect(declarations.map((d) => d.topic)).toEqual(
        expect.arrayContaining([`dev.${type}`, `dev.${type}.dlq`]),
      );
    }
  });

  it('should give each topic partitions, retention and Kafka config when declared', () => {
    const stayCompleted = topicDeclarations().filter((d) => d.eventType === 'stay-completed');

    expect(stayCompleted).toEqual([
      {
        topic: 'stay-completed',
        eventType: 'stay-completed',
        kind: 'events',
        partitions: 6,
        retentionMs: 604_800_000,
        config: { 'cleanup.policy': 'delete', 'retention.ms': '604800000' },
      },
      expect.objectContaining({ topic: 'stay-completed.dlq', kind: 'dead-letters', partitions: 6 }),
    ]);
  });
});
