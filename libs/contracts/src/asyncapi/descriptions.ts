import { eventCatalog, type EventType } from '../catalog';
import { DEAD_LETTER_HEADERS, HANDLING_FAILURES } from '../dead-letter';
import { EVENT_HEADERS } from '../envelope/event-headers';
import { topicName, deadLetterTopicName } from '../topics';
import { ContractViolationCode } from '../validation/contract-violation';
import { sampleEvent } from '../testing/fixtures';
import { partitionKey } from '../keys';

// Markdown for the AsyncAPI document. Facts (topic names, keys, header names, codes) are read from
// the code, so the prose cannot drift from what the platform does.

const codes = Object.values(ContractViolationCode)
  .map((code) => `\`${code}\``)
  .join(', ');

/** Every reason a dead letter can give, as `dlq-reason` says it. */
export const DEAD_LETTER_REASONS = `${codes} (the message breaks its contract); ${Object.values(
  HANDLING_FAILURES,
)
  .map((reason) => `\`${reason}\``)
  .join(
    ', ',
  )} (the consumer could not handle a valid event); or the code of a permanent error the handler raised, e.g. \`ACCOUNT_CLOSED\``;

export const INFO_DESCRIPTION = `Every event of the hotel loyalty platform, generated from \`libs/contracts\` (the single source of truth).

- **One topic per event type**: the topic is named after the type (\`stay-completed\`); an environment may prefix every name (\`staging.stay-completed\`). Topics are created at start-up, never automatically.
- **Dead letters beside every topic**: \`<topic>.dlq\` holds messages a consumer could not process, unchanged, with headers \`${DEAD_LETTER_HEADERS.reason}\` (${DEAD_LETTER_REASONS}) and \`${DEAD_LETTER_HEADERS.detail}\`.
- **Envelope**: CloudEvents 1.0 in structured JSON mode, with extension attributes \`dataversion\`, \`correlationid\`, \`causationid\` and \`propertyid\`. Unknown attributes and payload fields are rejected; optional fields are left out, never \`null\`.
- **Keys**: guest events are keyed by the guest id (the envelope's \`subject\`), so one guest's events stay in order; upstream booking events by \`propertyId:reservationId\`.
- **Values**: money is \`{ amountMinor, currency }\` in minor units and ISO-4217; dates of stay are the property's local dates (\`YYYY-MM-DD\`) with its IANA \`timeZone\` as Area/Location (\`Europe/Amsterdam\`; of names without an area only \`UTC\` and \`GMT\`); instants are ISO-8601 UTC. After the upstream events, guests are known only by their opaque guest id: no names, emails or phone numbers.
- **Versions**: \`dataversion\` names the payload version. A new version is added beside the old one; consumers accept every listed version before producers switch.`;

function consumersLine(type: EventType): string {
  const { consumers } = eventCatalog[type];
  return consumers.length > 0 ? consumers.map((c) => `\`${c}\``).join(', ') : 'none yet';
}

function keyLine(type: EventType): string {
  const rule = eventCatalog[type].key;
  return rule.by === 'subject'
    ? `the guest id: \`data.${rule.subjectField}\`, which is also the envelope's \`subject\``
    : '`<propertyId>:<reservationId>` from the payload';
}

export function channelDescription(type: EventType): string {
  const { summary, owner } = eventCatalog[type];
  const facts = `${summary}\n\n- **Producer**: \`${owner}\`\n- **Consumers**: ${consumersLine(type)}\n- **Key**: ${keyLine(type)}`;
  return owner === 'upstream' ? `${facts}\n\n${upstreamContract(type)}` : facts;
}

export function deadLetterChannelDescription(type: EventType): string {
  return `Dead letters of \`${topicName(type)}\`: messages its consumers could not process, with the original key, value and headers, plus the \`dlq-*\` headers saying why.`;
}

function upstreamContract(type: EventType): string {
  const example = sampleEvent(type);
  const headers = [
    EVENT_HEADERS.id,
    EVENT_HEADERS.type,
    EVENT_HEADERS.source,
    EVENT_HEADERS.dataVersion,
    EVENT_HEADERS.correlationId,
  ];
  return `### Contract for property systems

1. **Topic**: \`${topicName(type)}\` (with the environment's prefix, if it has one).
2. **Key**: \`<propertyId>:<reservationId>\` as a UTF-8 string, here \`${partitionKey(example)}\`. Every event of one reservation must use it, so the events of this type for one reservation are consumed in the order sent; events of other types go to other topics, in no order relative to these, and the platform expects them in any order (a cancellation before its booking, an adjustment before its stay).
3. **Value**: one CloudEvents 1.0 envelope as UTF-8 JSON (bytes that are not UTF-8, such as Latin-1 text, are dead-lettered as not JSON): \`specversion\` \`1.0\`; \`id\` a UUID, new for each event (re-sending the same event with the same \`id\` is harmless); \`type\` \`${type}\`; \`source\` your system, e.g. \`pms/opera-ams01\`; \`time\` ISO-8601 UTC; \`datacontenttype\` \`application/json\`; \`dataversion\` \`${eventCatalog[type].currentVersion}\`; \`correlationid\` an id you can trace the event by; \`propertyid\` the property's code; \`data\` as in the payload schema. No other attributes, and no \`null\`s: leave optional fields out.
4. **Headers** (recommended, for tooling): ${headers.map((h) => `\`${h}\``).join(', ')} mirroring the envelope, and \`content-type: application/cloudevents+json\`.
5. **Invalid events are not processed.** The consumer moves them unchanged to \`${deadLetterTopicName(topicName(type))}\`, with header \`${DEAD_LETTER_HEADERS.reason}\` (${codes}) and \`${DEAD_LETTER_HEADERS.detail}\` listing every problem, e.g. \`${type} v1 is invalid: data.reservationId is required\`. Watch that topic; fix the producer and send the event again with a new \`id\`.

Example value:

\`\`\`json
${JSON.stringify(example, null, 2)}
\`\`\``;
}
