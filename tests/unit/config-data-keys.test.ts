import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYRING_FILE, loadKeyring, rotateKeyFile } from '../../src/config/data-keys.js';
import { open, seal } from '../../src/core/sealing.js';

describe('the data-dir keyring (embedded default)', () => {
  it('is created once, mode 0600, with one key, and read back the same on the next start', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'posture-keys-'));
    const first = loadKeyring({ dataDir, dataKeys: { mode: 'file' } });
    expect(statSync(join(dataDir, KEYRING_FILE)).mode & 0o777).toBe(0o600);
    expect(first.current.id).toBe('k1');
    const again = loadKeyring({ dataDir, dataKeys: { mode: 'file' } });
    expect(again.current.key.equals(first.current.key)).toBe(true);
  });

  it('rotates: a new current key first, the old ones kept so that what they sealed still opens', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'posture-keys-'));
    const before = loadKeyring({ dataDir, dataKeys: { mode: 'file' } });
    const sealed = seal(before, Buffer.from('evidence'), 'x');
    expect(rotateKeyFile(dataDir).id).toBe('k2');
    const after = loadKeyring({ dataDir, dataKeys: { mode: 'file' } });
    expect(after.current.id).toBe('k2');
    expect(open(after, sealed.keyId, sealed.bytes, 'x').toString()).toBe('evidence');
    expect(readFileSync(join(dataDir, KEYRING_FILE), 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
    expect(statSync(join(dataDir, KEYRING_FILE)).mode & 0o777).toBe(0o600);
  });
});
