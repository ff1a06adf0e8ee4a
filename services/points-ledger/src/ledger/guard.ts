import { PermanentEventError } from '@loyalty/messaging';
import { isLedgerError } from '../domain';

/**
 * A rule the event breaks can never apply by retrying (an unknown property, a suspended account): it is
 * dead-lettered with the ledger's code as reason. Anything else propagates and is retried.
 */
export function guard<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    if (isLedgerError(error)) throw new PermanentEventError(error.code, error.message);
    throw error;
  }
}
