import { createHash, timingSafeEqual } from 'node:crypto';

export interface UpstreamSystem {
  name: string;
  /** Property ids it may send events for; `*` for every property. */
  properties: ReadonlySet<string>;
}

/** A key that named its system, with the fingerprint operators tell a system's keys apart by. */
export interface IdentifiedKey {
  system: UpstreamSystem;
  /** The first 8 hex digits of the secret's SHA-256: a label for logs and metrics that reveals no secret. */
  fingerprint: string;
}

interface KeyEntry {
  digest: Buffer;
  key: IdentifiedKey;
}

const digest = (secret: string) => createHash('sha256').update(secret).digest();

/**
 * The upstream systems' API keys, kept only as digests, compared in constant time. A system listed more
 * than once (with the same properties, as the config class checks) has several keys, each letting it in:
 * the old and the new during a rotation. Its entries share one `UpstreamSystem`, so the rate limit and
 * the record of who sent an id first are the system's, whichever key it used.
 */
export class ApiKeys {
  private constructor(private readonly entries: KeyEntry[]) {}

  /** Parses `system:secret:PROP|PROP,...` (already validated by the config class). */
  static parse(spec: string): ApiKeys {
    const systems = new Map<string, UpstreamSystem>();
    return new ApiKeys(
      spec.split(',').map((entry) => {
        const [name, secret, properties] = entry.split(':');
        const system = systems.get(name) ?? { name, properties: new Set(properties.split('|')) };
        systems.set(name, system);
        const secretDigest = digest(secret);
        return {
          digest: secretDigest,
          key: { system, fingerprint: secretDigest.subarray(0, 4).toString('hex') },
        };
      }),
    );
  }

  identify(presented: string | undefined): IdentifiedKey | undefined {
    if (!presented) return undefined;
    const candidate = digest(presented);
    return this.entries.find((entry) => timingSafeEqual(entry.digest, candidate))?.key;
  }
}

export function mayServe(system: UpstreamSystem, propertyId: string): boolean {
  return system.properties.has('*') || system.properties.has(propertyId);
}
