export * from './settings';
export { ConfigModule, type ConfigModuleOptions } from './config.module';
export { EnvBoolean, EnvList, EnvNumber, parseBoolean, parseList, parseNumber } from './env-transforms';
export { EnvTrustProxy, parseTrustProxy, type TrustProxy } from './trust-proxy';
export { displayValue, isSecretName, maskUrlCredentials, MASK } from './mask-secret';
export { AuthConfig, DEV_JWT_SECRET, HttpsInProduction } from './auth.config';
export { NotDevSecretInProduction, type NotDevSecretOptions } from './not-dev-secret-in-production';
