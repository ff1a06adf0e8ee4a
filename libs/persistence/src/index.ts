export { lockKeysUntilCommit } from './advisory-locks';
export { dataSourceOptions } from './data-source-options';
export type { DatabaseSettings } from './data-source-options';
export { isTransientDatabaseError } from './transient-errors';
export { PersistenceModule } from './persistence.module';
export type { PersistenceOptions } from './persistence.module';
export { RedisModule, REDIS } from './redis.module';
