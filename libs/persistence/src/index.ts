export { lockKeysUntilCommit } from './advisory-locks';
export { GuestTombstones } from './guest-tombstones';
export type { CurrentGuest } from './guest-tombstones';
export { dataSourceOptions } from './data-source-options';
export type { DatabaseSettings } from './data-source-options';
export { isTransientDatabaseError } from './transient-errors';
export { PersistenceModule } from './persistence.module';
export type { PersistenceOptions } from './persistence.module';
export { RedisModule, REDIS } from './redis.module';
