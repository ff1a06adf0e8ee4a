/**
 * An id as compared: UUIDs are the same whatever the case of their hex digits, and the ingress lowercases
 * them while systems producing to Kafka directly may not.
 */
export function idKey(id: string): string;
export function idKey(id: string | undefined): string | undefined;
export function idKey(id: string | undefined): string | undefined {
  return id?.toLowerCase();
}

export function sameId(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && idKey(a) === idKey(b);
}
