// Loading and validating settings, without the Nest module that provides them to a service: a tool that
// reads the services' variables (the CLI) imports this entry rather than the library's.
export { loadConfig } from './load-config';
export { ConfigValidationError, CONFIG_INVALID, type ConfigIssue } from './config-validation.error';
export {
  BACKGROUND_NICENESS,
  BaseServiceConfig,
  KAFKA_SASL_MECHANISMS,
  LOG_LEVELS,
  type KafkaSaslMechanism,
  type KafkaSaslOptions,
  type LogLevel,
} from './base-service.config';
