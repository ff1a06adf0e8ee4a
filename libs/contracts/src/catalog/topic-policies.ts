import type { TopicSettings } from './event-declaration';

const DAY_MS = 86_400_000;

export const DEFAULT_PARTITIONS = 6;

/** Most topics: long enough for a consumer that was down, or a replay after a bug fix. */
export const STANDARD_TOPIC: TopicSettings = { partitions: DEFAULT_PARTITIONS, retentionMs: 30 * DAY_MS };

/** Upstream topics carry names, emails and phone numbers: keep them only as long as operations need. */
export const PERSONAL_DATA_TOPIC: TopicSettings = { partitions: DEFAULT_PARTITIONS, retentionMs: 7 * DAY_MS };

/** Merges and erasures: a service restored from a backup must be able to replay them. */
export const IDENTITY_TOPIC: TopicSettings = { partitions: DEFAULT_PARTITIONS, retentionMs: 90 * DAY_MS };
