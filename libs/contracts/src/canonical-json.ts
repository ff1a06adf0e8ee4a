import { createHash } from 'node:crypto';

/** JSON with every object's properties in name order: the same value, serialised in any order, reads the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_name, field: unknown) =>
    field !== null && typeof field === 'object' && !Array.isArray(field)
      ? Object.fromEntries(Object.entries(field).sort(([a], [b]) => (a < b ? -1 : 1)))
      : field,
  );
}

/** SHA-256 (hex) of a value's canonical JSON: equal for the same content, whatever its property order. */
export function contentFingerprint(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
