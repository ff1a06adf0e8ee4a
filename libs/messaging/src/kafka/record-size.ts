import type { OutgoingMessage } from './broker-client';

// What a record adds to its key, value and headers on the wire (lengths, offsets, timestamps), rounded up.
const RECORD_OVERHEAD_BYTES = 64;

/** About what a message takes in a produce request, from above. */
export function recordBytes(message: Pick<OutgoingMessage, 'key' | 'value' | 'headers'>): number {
  let bytes = RECORD_OVERHEAD_BYTES + byteLength(message.key) + byteLength(message.value);
  for (const [name, values] of Object.entries(message.headers))
    for (const value of [values].flat()) bytes += name.length + Buffer.byteLength(value);
  return bytes;
}

function byteLength(data: Buffer | string | null): number {
  if (data === null) return 0;
  return typeof data === 'string' ? Buffer.byteLength(data) : data.length;
}
