/**
 * Encryption at rest for raw exports and attestation files: AES-256-GCM under a data key named by
 * an id stored beside each sealed value, so keys can be rotated (a new current key seals, every key
 * still in the ring opens). The associated data binds a sealed value to where it is stored (tenant,
 * object, chunk), so a ciphertext copied to another row does not open. Pure: no I/O.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface DataKey {
  id: string;
  /** 32 bytes */
  key: Buffer;
}

/** The current key (first) and every older one still able to open what it sealed. */
export interface Keyring {
  current: DataKey;
  byId: ReadonlyMap<string, DataKey>;
}

export const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export function keyringOf(keys: readonly DataKey[]): Keyring {
  if (keys.length === 0) throw new Error('a keyring needs at least one key');
  for (const k of keys) {
    if (!KEY_ID.test(k.id)) throw new Error(`data key id "${k.id}" must be 1-32 letters, digits, _ or -`);
    if (k.key.length !== 32) throw new Error(`data key "${k.id}" must be 32 bytes (AES-256), got ${k.key.length}`);
  }
  const byId = new Map(keys.map((k) => [k.id, k]));
  if (byId.size !== keys.length) throw new Error('two data keys share an id');
  return { current: keys[0]!, byId };
}

/** nonce ‖ ciphertext ‖ tag, sealed under the current key. */
export function seal(ring: Keyring, plaintext: Uint8Array, aad: string): { keyId: string; bytes: Buffer } {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', ring.current.key, nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { keyId: ring.current.id, bytes: Buffer.concat([nonce, body, cipher.getAuthTag()]) };
}

export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealError';
  }
}

/** The plaintext; throws SealError when the key is not in the ring or the bytes were altered. */
export function open(ring: Keyring, keyId: string, sealed: Uint8Array, aad: string): Buffer {
  const k = ring.byId.get(keyId);
  if (!k) throw new SealError(`data key "${keyId}" is not in the keyring: add it back to read what it sealed`);
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new SealError('a sealed value is truncated');
  const b = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const decipher = createDecipheriv('aes-256-gcm', k.key, b.subarray(0, NONCE_BYTES));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(b.subarray(b.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(b.subarray(NONCE_BYTES, b.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new SealError('a sealed value does not open: it was altered, or moved from where it was stored');
  }
}

/** `id:base64key,id:base64key` (first is current), as POSTURE_DATA_KEYS and the keyring file hold them. */
export function parseKeys(text: string): DataKey[] {
  return text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('#'))
    .map((entry) => {
      const colon = entry.indexOf(':');
      if (colon < 0) throw new Error('each data key is id:base64key');
      return { id: entry.slice(0, colon), key: Buffer.from(entry.slice(colon + 1), 'base64') };
    });
}
