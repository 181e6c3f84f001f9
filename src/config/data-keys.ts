/**
 * The keyring that seals raw exports and attestation files at rest. From POSTURE_DATA_KEYS when
 * set (required in production); otherwise a keyring file in the data dir (`data-keys`, mode 0600),
 * created with one random key on first run — back it up with the database: without it the raw
 * evidence cannot be read.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DataKey, type Keyring, keyringOf, parseKeys } from '../core/sealing.js';
import type { Config } from './load-config.js';

export const KEYRING_FILE = 'data-keys';

export function loadKeyring(config: Pick<Config, 'dataKeys' | 'dataDir'>): Keyring {
  if (config.dataKeys.mode === 'env') return keyringOf(config.dataKeys.keys);
  return keyringOf(readOrCreateKeyFile(config.dataDir));
}

function readOrCreateKeyFile(dataDir: string): DataKey[] {
  const path = join(dataDir, KEYRING_FILE);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, `${format(newKey('k1'))}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  return parseKeys(readFileSync(path, 'utf8'));
}

/** A new random key with an id one above the highest `k<n>` in use. */
export function newKey(id: string): DataKey {
  return { id, key: randomBytes(32) };
}

export function format(k: DataKey): string {
  return `${k.id}:${k.key.toString('base64')}`;
}

/**
 * Put a new key first in the keyring file (the older ones stay, so what they sealed still opens).
 * Written aside and renamed into place: a crash never leaves a half-written keyring.
 */
export function rotateKeyFile(dataDir: string): DataKey {
  const keys = readOrCreateKeyFile(dataDir);
  const n = Math.max(0, ...keys.map((k) => Number(/^k(\d+)$/.exec(k.id)?.[1] ?? 0))) + 1;
  const fresh = newKey(`k${n}`);
  const path = join(dataDir, KEYRING_FILE);
  writeFileSync(`${path}.new`, [fresh, ...keys].map(format).join('\n') + '\n', { mode: 0o600 });
  renameSync(`${path}.new`, path);
  return fresh;
}
