import { createHash, timingSafeEqual } from 'node:crypto';

export interface UpstreamSystem {
  name: string;
  /** Property ids it may send events for; `*` for every property. */
  properties: ReadonlySet<string>;
}

interface KeyEntry {
  digest: Buffer;
  system: UpstreamSystem;
}

const digest = (secret: string) => createHash('sha256').update(secret).digest();

/** The upstream systems' API keys, kept only as digests, compared in constant time. */
export class ApiKeys {
  private constructor(private readonly entries: KeyEntry[]) {}

  /** Parses `system:secret:PROP|PROP,...` (already validated by the config class). */
  static parse(spec: string): ApiKeys {
    return new ApiKeys(
      spec.split(',').map((entry) => {
        const [name, secret, properties] = entry.split(':');
        return { digest: digest(secret), system: { name, properties: new Set(properties.split('|')) } };
      }),
    );
  }

  identify(presented: string | undefined): UpstreamSystem | undefined {
    if (!presented) return undefined;
    const candidate = digest(presented);
    return this.entries.find((entry) => timingSafeEqual(entry.digest, candidate))?.system;
  }
}

export function mayServe(system: UpstreamSystem, propertyId: string): boolean {
  return system.properties.has('*') || system.properties.has(propertyId);
}
