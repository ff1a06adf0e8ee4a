import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '@loyalty/persistence';
import { ProfilesConfig } from '../config/profiles.config';
import { decrypt, encrypt } from '../domain/field-crypto';

const SEALED = 'sealed:';

/**
 * Cache-aside for assembled profile views, encrypted with the guest's data key. Redis is only a cache: a failing Redis is logged and the
 * view is built from Postgres. Every change evicts the guest's entry once it has committed (event handlers
 * through `ctx.afterCommit`): evicted earlier, a concurrent read could refill it from the old rows.
 */
@Injectable()
export class ProfileCache {
  private readonly logger = new Logger(ProfileCache.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: ProfilesConfig,
  ) {}

  private key(guestId: string): string {
    return `${this.config.KAFKA_TOPIC_PREFIX}profiles:view:${guestId}`;
  }

  /** `key` is the guest's data key: views are cached encrypted with it, so erasure shreds them too. */
  async get<T>(guestId: string, key: Buffer | undefined): Promise<T | undefined> {
    try {
      const cached = await this.redis.get(this.key(guestId));
      if (!cached) return undefined;
      if (!cached.startsWith(SEALED)) return JSON.parse(cached) as T;
      return key
        ? (JSON.parse(decrypt(key, cached.slice(SEALED.length), `cache:${guestId}`)) as T)
        : undefined;
    } catch (error) {
      this.logger.warn(`profile cache read failed: ${String(error)}`);
      return undefined;
    }
  }

  /** Without a data key (erased or merged away) the view holds no personal data and is stored as is. */
  async set(guestId: string, view: unknown, key: Buffer | undefined): Promise<void> {
    try {
      const json = JSON.stringify(view);
      await this.redis.set(
        this.key(guestId),
        key ? `${SEALED}${encrypt(key, json, `cache:${guestId}`)}` : json,
        'EX',
        this.config.PROFILES_CACHE_TTL_SECONDS,
      );
    } catch (error) {
      this.logger.warn(`profile cache write failed: ${String(error)}`);
    }
  }

  async evict(...guestIds: string[]): Promise<void> {
    if (!guestIds.length) return;
    try {
      await this.redis.del(...new Set(guestIds.map((id) => this.key(id))));
    } catch (error) {
      this.logger.warn(`profile cache eviction failed: ${String(error)}`);
    }
  }
}
