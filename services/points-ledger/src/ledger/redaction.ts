import type { StoredAccount } from './account-store';

/** What erasure leaves in place of free text: staff reasons and notes. */
export const REDACTED = '[erased]';

/**
 * The free text a command may keep on this account: none once its guest is erased, as erasure cannot
 * redact what is written after it.
 */
export function keptText(stored: Pick<StoredAccount, 'erased'>, text: string): string {
  return stored.erased ? REDACTED : text;
}
