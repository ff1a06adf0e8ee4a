import { hash } from 'node:crypto';

/**
 * The public transaction id (a UUID, as the contracts require) of a ledger entry, derived from its
 * domain id `<accountId>:<sequence>`, so it is stable and never needs a lookup.
 */
export function transactionIdOf(entryKey: string): string {
  const hex = hash('sha256', `ledger-entry:${entryKey}`, 'hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
