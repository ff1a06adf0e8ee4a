export type {
  AdminPort,
  BatchControl,
  BrokerClient,
  ConsumerPort,
  ConsumerSettings,
  IncomingMessage,
  OutgoingMessage,
  PartitionBatch,
  ProducerPort,
  RawHeaders,
  TopicSpec,
} from './kafka/broker-client';
export { KafkaJsBrokerClient } from './kafka/kafkajs-client';
export * from './broker';
export { isBrokerAnswer } from './kafka/kafkajs-log';
export { kafkaErrorTypes } from './kafka/kafka-error-types';
export { OutboxWriter } from './outbox/outbox-writer';
export { OutboxRelay, type RelaySettings } from './outbox/outbox-relay';
export { EventPublisher, type PublishOptions } from './outbox/event-publisher';
export {
  EventTransport,
  laneGroupId,
  type ConsumerLane,
  type EventTransportSettings,
  type EventHandlerExtras,
} from './consumer/event-transport';
export {
  EventContext,
  type AfterCommitAction,
  type Delivery,
  type PublishMeta,
} from './consumer/event-context';
export { RethrowRpcExceptionsFilter } from './consumer/rethrow-rpc-exceptions.filter';
export { deadLetterMessage } from './consumer/dead-letter';
export { decideOnFailure, backoffDelay, type RetrySettings } from './consumer/failure-policy';
export { PermanentEventError, SendNotStarted, SendUnconfirmed } from './errors';
export { MessagingTables1760000000000 } from './migrations/messaging-tables.migration';
export { OutboxJsonPayload1760000000100 } from './migrations/outbox-json-payload.migration';
export { InboxByAge1760000000200 } from './migrations/inbox-by-age.migration';
export { DeadLetterMarks1760000000300 } from './migrations/dead-letter-marks.migration';
export { DeadLetterRecordTimestamp1760000000400 } from './migrations/dead-letter-record-timestamp.migration';
export {
  MessagingModule,
  BROKER_CLIENT,
  BATCHING_FETCH,
  HOT_PATH_FETCH,
  INBOX_RETENTION_MS,
  type MessagingOptions,
} from './messaging.module';
