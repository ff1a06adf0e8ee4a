import { join } from 'node:path';
import { EVENT_TYPES, eventCatalog, type EventType } from '../catalog';
import type { DtoClass } from '../common/nested-types';
import type { JsonSchema } from '../common/decorators/define-constraint';
import { DEAD_LETTER_HEADERS } from '../dead-letter';
import { CloudEventEnvelopeDto } from '../envelope/cloud-event-envelope.dto';
import { CLOUDEVENTS_JSON, EVENT_HEADERS, eventHeaders } from '../envelope/event-headers';
import { partitionKey } from '../keys';
import { sampleEvent } from '../testing/fixtures';
import { deadLetterTopicName, topicName } from '../topics';
import {
  channelDescription,
  DEAD_LETTER_REASONS,
  deadLetterChannelDescription,
  INFO_DESCRIPTION,
} from './descriptions';
import { readClassDocs } from './doc-comments';
import { payloadSchemas, SCHEMA_REF_PREFIX } from './payload-schemas';

const KAFKA_BINDING_VERSION = '0.5.0';
const ENVELOPE = CloudEventEnvelopeDto.name;

const ref = (pointer: string) => ({ $ref: pointer });
const camel = (kebab: string) => kebab.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
const channelId = (type: EventType) => camel(type);
const deadLetterChannelId = (type: EventType) => `${camel(type)}Dlq`;
const messageId = (type: EventType, version: string) => `${camel(type)}V${version}`;
const versionsOf = (type: EventType) => Object.entries(eventCatalog[type].versions) as [string, DtoClass][];

/** The AsyncAPI 3.0 document of every topic, built from the catalogue and the DTOs' decorators and JSDoc. */
export function buildAsyncApiDocument(): Record<string, unknown> {
  const docs = readClassDocs(join(__dirname, '..'));
  const dataClasses = EVENT_TYPES.flatMap((type) => versionsOf(type).map(([, cls]) => cls));
  return {
    asyncapi: '3.0.0',
    info: { title: 'Hotel loyalty platform events', version: '1.0.0', description: INFO_DESCRIPTION },
    defaultContentType: 'application/cloudevents+json',
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description:
          'Single-node KRaft broker for development (`npm run infra`; docker compose exposes localhost:9094).',
      },
    },
    channels: Object.fromEntries(EVENT_TYPES.flatMap((type) => channels(type))),
    operations: Object.fromEntries(EVENT_TYPES.flatMap((type) => operations(type))),
    components: {
      schemas: { ...payloadSchemas([CloudEventEnvelopeDto, ...dataClasses], docs), ...eventSchemas() },
      messages: Object.fromEntries([
        ...EVENT_TYPES.flatMap((type) => messages(type)),
        ['deadLetter', deadLetterMessage()],
      ]),
      messageTraits: { cloudEvent: cloudEventTrait() },
    },
  };
}

function channels(type: EventType): [string, unknown][] {
  const { partitions, retentionMs } = eventCatalog[type].topic;
  const binding = (topic: string) => ({
    kafka: {
      topic,
      partitions,
      topicConfiguration: { 'cleanup.policy': ['delete'], 'retention.ms': retentionMs },
      bindingVersion: KAFKA_BINDING_VERSION,
    },
  });
  const topic = topicName(type);
  const deadLetters = deadLetterTopicName(topic);
  return [
    [
      channelId(type),
      {
        address: topic,
        title: topic,
        description: channelDescription(type),
        messages: Object.fromEntries(
          versionsOf(type).map(([version]) => [
            messageId(type, version),
            ref(`#/components/messages/${messageId(type, version)}`),
          ]),
        ),
        bindings: binding(topic),
      },
    ],
    [
      deadLetterChannelId(type),
      {
        address: deadLetters,
        title: deadLetters,
        description: deadLetterChannelDescription(type),
        messages: { deadLetter: ref('#/components/messages/deadLetter') },
        bindings: binding(deadLetters),
      },
    ],
  ];
}

function operations(type: EventType): [string, unknown][] {
  const { owner, consumers, summary } = eventCatalog[type];
  const channel = ref(`#/channels/${channelId(type)}`);
  const messageRefs = versionsOf(type).map(([version]) =>
    ref(`#/channels/${channelId(type)}/messages/${messageId(type, version)}`),
  );
  const send: [string, unknown] = [
    `${owner}.send.${type}`,
    {
      action: 'send',
      channel,
      title: `${owner} publishes ${type}`,
      summary,
      messages: messageRefs,
      tags: [{ name: owner }],
    },
  ];
  const receives = consumers.flatMap((consumer): [string, unknown][] => [
    [
      `${consumer}.receive.${type}`,
      {
        action: 'receive',
        channel,
        title: `${consumer} consumes ${type}`,
        messages: messageRefs,
        tags: [{ name: consumer }],
      },
    ],
    [
      `${consumer}.dead-letter.${type}`,
      {
        action: 'send',
        channel: ref(`#/channels/${deadLetterChannelId(type)}`),
        title: `${consumer} dead-letters ${type} it cannot process`,
        messages: [ref(`#/channels/${deadLetterChannelId(type)}/messages/deadLetter`)],
        tags: [{ name: consumer }],
      },
    ],
  ]);
  return [send, ...receives];
}

// The envelope with `type`, `dataversion` and `data` pinned to one event type and version.
function eventSchemas(): Record<string, JsonSchema> {
  return Object.fromEntries(
    EVENT_TYPES.flatMap((type) =>
      versionsOf(type).map(([version, cls]): [string, JsonSchema] => [
        `${cls.name}Event`,
        {
          description: `${type} v${version} in its CloudEvents envelope.`,
          allOf: [
            ref(`${SCHEMA_REF_PREFIX}${ENVELOPE}`),
            {
              type: 'object',
              properties: {
                type: { const: type },
                dataversion: { const: version },
                data: ref(`${SCHEMA_REF_PREFIX}${cls.name}`),
              },
              ...(eventCatalog[type].key.by === 'subject' ? { required: ['subject'] } : {}),
            },
          ],
        },
      ]),
    ),
  );
}

function messages(type: EventType): [string, unknown][] {
  const { summary, key, currentVersion } = eventCatalog[type];
  return versionsOf(type).map(([version, cls]) => {
    const keyDescription =
      key.by === 'subject'
        ? `Guest id (= \`subject\` = \`data.${key.subjectField}\`).`
        : '`<propertyId>:<reservationId>`.';
    const message: Record<string, unknown> = {
      name: type,
      title: `${type} v${version}`,
      summary,
      contentType: 'application/cloudevents+json',
      traits: [ref('#/components/messageTraits/cloudEvent')],
      payload: ref(`${SCHEMA_REF_PREFIX}${cls.name}Event`),
      bindings: {
        kafka: {
          key: { type: 'string', description: keyDescription },
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
    };
    if (version === currentVersion) {
      const example = sampleEvent(type);
      message.examples = [
        {
          name: 'sample',
          summary: `A valid ${type}, key \`${partitionKey(example)}\`.`,
          headers: eventHeaders(example),
          payload: example,
        },
      ];
    }
    return [messageId(type, version), message];
  });
}

function cloudEventTrait(): Record<string, unknown> {
  const header = (description: string) => ({ type: 'string', description });
  return {
    headers: {
      type: 'object',
      properties: {
        [EVENT_HEADERS.contentType]: { type: 'string', const: CLOUDEVENTS_JSON },
        [EVENT_HEADERS.id]: header('Copy of `id`.'),
        [EVENT_HEADERS.type]: header('Copy of `type`.'),
        [EVENT_HEADERS.source]: header('Copy of `source`.'),
        [EVENT_HEADERS.dataVersion]: header('Copy of `dataversion`.'),
        [EVENT_HEADERS.subject]: header('Copy of `subject`, when there is one.'),
        [EVENT_HEADERS.correlationId]: header('Copy of `correlationid`.'),
        [EVENT_HEADERS.causationId]: header('Copy of `causationid`, when there is one.'),
      },
    },
    correlationId: {
      description: 'Traces a chain of events back to its origin.',
      location: '$message.payload#/correlationid',
    },
  };
}

function deadLetterMessage(): Record<string, unknown> {
  const header = (description: string) => ({ type: 'string', description });
  return {
    name: 'dead-letter',
    title: 'Dead letter',
    summary: 'A message a consumer could not process: the original key, value and headers, plus why.',
    headers: {
      type: 'object',
      properties: {
        [DEAD_LETTER_HEADERS.reason]: header(`${DEAD_LETTER_REASONS}.`),
        [DEAD_LETTER_HEADERS.detail]: header(
          'What was wrong, e.g. every contract issue as `<path> <reason>`; at most 1000 characters.',
        ),
        [DEAD_LETTER_HEADERS.errorClass]: header('Class of the error that stopped processing.'),
        [DEAD_LETTER_HEADERS.sourceTopic]: header('The topic the message was consumed from.'),
        [DEAD_LETTER_HEADERS.sourcePartition]: header('Its partition.'),
        [DEAD_LETTER_HEADERS.sourceOffset]: header('Its offset.'),
        [DEAD_LETTER_HEADERS.consumerGroup]: header('The consumer group that gave up on it.'),
        [DEAD_LETTER_HEADERS.attempts]: header('How many times it was tried.'),
        [DEAD_LETTER_HEADERS.failedAt]: header('When it was dead-lettered, ISO-8601 UTC.'),
        [DEAD_LETTER_HEADERS.valueOmitted]: header(
          'Present when the broker refused the value as too large even compressed: the letter has no value, which stays readable at its source offset for the topic’s retention.',
        ),
      },
      required: [DEAD_LETTER_HEADERS.reason, DEAD_LETTER_HEADERS.detail, DEAD_LETTER_HEADERS.sourceTopic],
    },
    payload: {
      description: `The original message value, byte for byte (it may not be JSON at all), or none with \`${DEAD_LETTER_HEADERS.valueOmitted}\`.`,
    },
  };
}
