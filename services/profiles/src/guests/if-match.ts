/**
 * The profile version an `If-Match` header asks a write to apply to; undefined when it sets no condition
 * (absent, or `*`, which any existing profile meets). The version may come bare, as the profile's `version`
 * field gives it, or as an entity tag (quoted, weak or not): it is opaque and compared whole.
 */
export function expectedVersion(ifMatch: string | undefined): string | undefined {
  const value = ifMatch?.trim();
  if (!value || value === '*') return undefined;
  const tag = /^(?:W\/)?"(.*)"$/.exec(value);
  return tag ? tag[1] : value;
}
