import { BaseServiceConfig, ConfigValidationError, loadConfig } from '@loyalty/config/settings';
import { kafkaSettingsFrom, type KafkaSettings } from '@loyalty/messaging/broker';
import { CliError, EXIT } from './errors';

/** The CLI's own config: the services' Kafka variables; it needs no database. */
class CliConfig extends BaseServiceConfig {
  override SERVICE_NAME = 'loyalty-cli';
  override DATABASE_URL = 'postgres://unused@127.0.0.1/unused';
}

/** Global options every command accepts; each falls back to the services' environment variable. */
export interface ConnectionOptions {
  brokers?: string;
  prefix?: string;
  ssl?: boolean;
  sslCaFile?: string;
  saslMechanism?: string;
  saslUsername?: string;
  saslPassword?: string;
}

export interface Connection {
  settings: KafkaSettings;
  prefix: string;
}

/** Options over KAFKA_* variables, validated by the same rules (and messages) as the services. */
export function connectionFrom(options: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): Connection {
  const kafkaEnv: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) if (name.startsWith('KAFKA_')) kafkaEnv[name] = value;
  const overrides: Record<string, string | undefined> = {
    KAFKA_BROKERS: options.brokers,
    KAFKA_TOPIC_PREFIX: options.prefix,
    KAFKA_SSL: options.ssl ? 'true' : undefined,
    KAFKA_SSL_CA_FILE: options.sslCaFile,
    KAFKA_SASL_MECHANISM: options.saslMechanism,
    KAFKA_SASL_USERNAME: options.saslUsername,
    KAFKA_SASL_PASSWORD: options.saslPassword,
  };
  for (const [name, value] of Object.entries(overrides)) if (value !== undefined) kafkaEnv[name] = value;
  delete kafkaEnv.KAFKA_CLIENT_ID;
  try {
    const config = loadConfig(CliConfig, kafkaEnv);
    return { settings: kafkaSettingsFrom(config), prefix: config.KAFKA_TOPIC_PREFIX };
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      throw new CliError(error.message, EXIT.usage, [
        'check --brokers host:port[,host:port], --prefix, --sasl-* and --ssl-ca-file',
        'or the KAFKA_BROKERS, KAFKA_TOPIC_PREFIX, KAFKA_SASL_* and KAFKA_SSL* variables',
      ]);
    }
    if (error instanceof Error && /ENOENT/.test(error.message)) {
      throw new CliError(`cannot read the CA file: ${error.message}`, EXIT.usage, [
        'check --ssl-ca-file / KAFKA_SSL_CA_FILE',
      ]);
    }
    throw error;
  }
}
