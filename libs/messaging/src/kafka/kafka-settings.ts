import { readFileSync } from 'node:fs';
import type { BaseServiceConfig } from '@loyalty/config';

export interface KafkaSettings {
  clientId: string;
  brokers: string[];
  ssl: boolean | { ca: string[] };
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
}

/** Connection settings for a real cluster (TLS, SASL) or the local broker, from validated config. */
export function kafkaSettingsFrom(config: BaseServiceConfig): KafkaSettings {
  const ssl = config.KAFKA_SSL_CA_FILE
    ? { ca: [readFileSync(config.KAFKA_SSL_CA_FILE, 'utf8')] }
    : config.KAFKA_SSL;
  return {
    clientId: config.KAFKA_CLIENT_ID ?? config.SERVICE_NAME,
    brokers: config.KAFKA_BROKERS,
    ssl,
    sasl:
      config.KAFKA_SASL_MECHANISM && config.KAFKA_SASL_USERNAME && config.KAFKA_SASL_PASSWORD
        ? {
            mechanism: config.KAFKA_SASL_MECHANISM,
            username: config.KAFKA_SASL_USERNAME,
            password: config.KAFKA_SASL_PASSWORD,
          }
        : undefined,
  };
}
