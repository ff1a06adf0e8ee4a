// What talks to Kafka alone, without Nest, TypeORM or Postgres: a tool that only reads and writes topics
// (the CLI) imports this entry rather than the library's, which loads the services' frameworks.
export type { OutgoingMessage, RawHeaders } from './kafka/broker-client';
export { kafkaSettingsFrom, type KafkaSettings } from './kafka/kafka-settings';
export { writableHeaders } from './kafka/record-headers';
export { askAgainWhileTransient, isTransientBrokerAnswer } from './broker-answers';
export { registerCompressionCodecs } from './compression-codecs';
