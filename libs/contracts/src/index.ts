// Envelope
export type { CloudEvent } from './envelope/cloud-event';
export { serviceSource } from './envelope/cloud-event';
export { CloudEventEnvelopeDto } from './envelope/cloud-event-envelope.dto';
export { CLOUDEVENTS_JSON, EVENT_HEADERS, eventHeaders } from './envelope/event-headers';

// Catalogue, topics, keys
export * from './catalog';
export type {
  EventDeclaration,
  PartitionKeyRule,
  Producer,
  ServiceName,
  TopicSettings,
} from './catalog/event-declaration';
export { SERVICE_NAMES } from './catalog/event-declaration';
export { DEFAULT_PARTITIONS } from './catalog/topic-policies';
export * from './topics';
export { partitionKey } from './keys';

// Building and validating events
export { buildEvent, causedBy, type EventMeta } from './build-event';
export { contentFingerprint } from './canonical-json';
export { parseEventBytes, validateEvent, validateReceivedEvent, type ValidatedEvent } from './validate';
export {
  ContractViolation,
  ContractViolationCode,
  type ContractIssue,
} from './validation/contract-violation';
export * from './dead-letter';

// Shared payload parts
export type { Plain } from './common/plain';
export * from './common/vocabulary';
export { MoneyChangeDto, MoneyDto } from './common/money.dto';
export { RevenueChangeDto, RevenueDto } from './common/revenue.dto';
export { GuestIdentityDto } from './common/guest-identity.dto';
export { GuestAttributesDto } from './common/guest-attributes.dto';
export { StayReferenceDto } from './common/stay-reference.dto';
export { isIanaTimeZone, isLocalDate, isUtcInstant } from './common/time-formats';
/** Field rules for request DTOs that carry the same values as the events (class-validator decorators). */
export { Instant, LaterThan, LocalDate } from './common/decorators/time.decorators';
export {
  Identifier,
  IDENTIFIER_REASON,
  isIdentifier,
  Text,
  unstorableIn,
} from './common/decorators/text.decorators';

// Payload DTOs, one per event type and version
export * from './events/upstream/reservation-created.v1';
export * from './events/upstream/reservation-cancelled.v1';
export * from './events/upstream/stay-completed.v1';
export * from './events/upstream/stay-adjusted.v1';
export * from './events/upstream/stay-adjusted.v2';
export * from './events/upstream/nights-posting';
export * from './events/profiles/guest-registered.v1';
export * from './events/profiles/guest-updated.v1';
export * from './events/profiles/guest-merged.v1';
export * from './events/profiles/guest-erased.v1';
export * from './events/profiles/stay-recorded.v1';
export * from './events/points-ledger/points-earned.v1';
export * from './events/points-ledger/points-redeemed.v1';
export * from './events/points-ledger/points-expired.v1';
export * from './events/points-ledger/points-expiring-soon.v1';
export * from './events/points-ledger/points-adjusted.v1';
export * from './events/points-ledger/points-adjusted.v2';
export * from './events/points-ledger/points-reversed.v1';
export * from './events/points-ledger/tier-changed.v1';
export * from './events/surveys/survey-invited.v1';
export * from './events/surveys/survey-completed.v1';
export * from './events/surveys/detractor-identified.v1';
export * from './events/surveys/dimension-score.dto';
export * from './events/surveys/service-quality-score.dto';
export {
  classifyNps,
  netPromoterScore,
  NPS_CLASSIFICATIONS,
  type NpsClassification,
  type NpsCounts,
  type NpsResult,
} from './events/surveys/nps';
export * from './events/complaints/complaint-opened.v1';
export * from './events/complaints/complaint-acknowledged.v1';
export * from './events/complaints/complaint-escalated.v1';
export * from './events/complaints/complaint-resolved.v1';
export * from './events/complaints/complaint-closed.v1';
export * from './events/complaints/complaint-reopened.v1';
export * from './events/complaints/complaint-reclassified.v1';
export * from './events/complaints/compensation-granted.v1';
export * from './events/churn-watcher/churn-evidence.dto';
export * from './events/churn-watcher/visit-frequency-dropped.v1';
export * from './events/churn-watcher/visit-frequency-restored.v1';

// Test support: valid sample payloads and events for every type
export { deterministicUuid, SAMPLE_IDS, sampleEvent, sampleEventData } from './testing/fixtures';
