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
export { ConfigModule, type ConfigModuleOptions } from './config.module';
export { EnvBoolean, EnvList, EnvNumber, parseBoolean, parseList, parseNumber } from './env-transforms';
export { EnvTrustProxy, parseTrustProxy, type TrustProxy } from './trust-proxy';
export { displayValue, isSecretName, maskUrlCredentials, MASK } from './mask-secret';
export { AuthConfig, DEV_JWT_SECRET, HttpsInProduction } from './auth.config';
export { NotDevSecretInProduction, type NotDevSecretOptions } from './not-dev-secret-in-production';
