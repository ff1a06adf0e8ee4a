import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

// Envelope encryption: every guest's personal fields are encrypted with the guest's own data key,
// which is stored only wrapped by the master key. Destroying the wrapped data key (erasure) leaves the
// ciphertexts unreadable for good, even to someone holding the master key: crypto-shredding.

const VERSION = 'v1';

export class CryptoError extends Error {}

export function generateDataKey(): Buffer {
  return randomBytes(32);
}

const IV_BYTES = 12;
const IVS_PER_FILL = 1024;
let ivPool = Buffer.alloc(0);
let ivOffset = 0;

// randomBytes is a call into OpenSSL each time, and every recorded stay seals several fields: IVs are
// cut from a pool of fresh random bytes, filled 1,024 IVs at a time. Each IV is used once; GCM needs
// them unique per key, not secret.
function nextIv(): Buffer {
  if (ivOffset + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_BYTES * IVS_PER_FILL);
    ivOffset = 0;
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
}

/** AES-256-GCM; `context` is authenticated (not encrypted) so a value cannot be moved to another guest or field. */
export function encrypt(key: Buffer, plaintext: string, context: string): string {
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
}

/** @throws CryptoError when the key or the context is wrong, or the ciphertext was tampered with. */
export function decrypt(key: Buffer, ciphertext: string, context: string): string {
  const [version, payload] = ciphertext.split('.');
  if (version !== VERSION || !payload) throw new CryptoError('unknown ciphertext format');
  const raw = Buffer.from(payload, 'base64');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw new CryptoError('ciphertext cannot be decrypted with this key');
  }
}

export function wrapDataKey(masterKey: Buffer, dataKey: Buffer, guestId: string): string {
  return encrypt(masterKey, dataKey.toString('base64'), `data-key:${guestId}`);
}

export function unwrapDataKey(masterKey: Buffer, wrapped: string, guestId: string): Buffer {
  return Buffer.from(decrypt(masterKey, wrapped, `data-key:${guestId}`), 'base64');
}

/** Keyed hash of an already normalised value: equal inputs match, and the index reveals nothing without the key. */
export function blindIndex(key: Buffer, kind: string, normalised: string): string {
  return createHmac('sha256', key).update(`${kind}:${normalised}`).digest('base64url');
}
