import type { OutgoingMessage, RawHeaders } from './broker-client';

/**
 * Headers as read, made writable again with every value kept byte for byte, repeated ones in order. A
 * null value (a reader gives one, the client cannot write one) goes on empty.
 */
export function writableHeaders(headers: RawHeaders): OutgoingMessage['headers'] {
  const writable: OutgoingMessage['headers'] = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    writable[name] = Array.isArray(value) ? value.map((one) => one ?? '') : (value ?? '');
  }
  return writable;
}
