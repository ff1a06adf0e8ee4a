import type { EventData } from '@loyalty/contracts';

export type Resolution = EventData<'complaint-resolved'>['resolution'];

/** One state-machine action with what it needs. */
export type ComplaintCommand =
  | { action: 'acknowledge' | 'start' | 'await-guest' | 'resume' }
  | { action: 'resolve'; resolution: Resolution; note: string }
  | { action: 'close'; satisfaction: number }
  | { action: 'reopen'; reason: string }
  | { action: 'mark-duplicate'; duplicateOf: string }
  | { action: 'cancel'; reason: string };
