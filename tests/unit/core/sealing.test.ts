import { randomBytes } from 'node:crypto';
import { keyringOf, open, parseKeys, SealError, seal } from '../../../src/core/sealing.js';

const key = (id: string) => ({ id, key: randomBytes(32) });

describe('sealing (AES-256-GCM data keys)', () => {
  const ring = keyringOf([key('k2'), key('k1')]);

  it('opens what it sealed, under the current key, and never holds the plaintext in the sealed bytes', () => {
    const plain = Buffer.from('<config><system><password>$2y$10$secret</password></system></config>');
    const sealed = seal(ring, plain, 'snapshot_parts/t/s/0');
    expect(sealed.keyId).toBe('k2');
    expect(sealed.bytes.includes(Buffer.from('secret'))).toBe(false);
    expect(sealed.bytes.length).toBe(plain.length + 12 + 16);
    expect(open(ring, sealed.keyId, sealed.bytes, 'snapshot_parts/t/s/0')).toEqual(plain);
  });

  it('seals the same plaintext differently each time (a fresh nonce)', () => {
    const a = seal(ring, Buffer.from('x'), 'aad');
    const b = seal(ring, Buffer.from('x'), 'aad');
    expect(a.bytes.equals(b.bytes)).toBe(false);
  });

  it('refuses altered bytes, another place (associated data) and a key not in the ring', () => {
    const sealed = seal(ring, Buffer.from('evidence'), 'snapshot_parts/t/s/0');
    const flipped = Buffer.from(sealed.bytes);
    flipped[14]! ^= 1;
    expect(() => open(ring, 'k2', flipped, 'snapshot_parts/t/s/0')).toThrow(SealError);
    expect(() => open(ring, 'k2', sealed.bytes, 'snapshot_parts/other/s/0')).toThrow(/moved from where it was stored/);
    expect(() => open(ring, 'k9', sealed.bytes, 'snapshot_parts/t/s/0')).toThrow(/not in the keyring/);
    expect(() => open(ring, 'k2', sealed.bytes.subarray(0, 20), 'snapshot_parts/t/s/0')).toThrow(/truncated/);
  });

  it('opens with an older key after a rotation', () => {
    const old = keyringOf([key('k1')]);
    const sealed = seal(old, Buffer.from('before rotation'), 'a');
    const rotated = keyringOf([key('k2'), old.current]);
    expect(open(rotated, sealed.keyId, sealed.bytes, 'a').toString()).toBe('before rotation');
    expect(seal(rotated, Buffer.from('after'), 'a').keyId).toBe('k2');
  });

  it('reads id:base64 keys from text and refuses bad ones', () => {
    const k = randomBytes(32).toString('base64');
    expect(parseKeys(`# comment\nk1:${k}\n`).map((x) => x.id)).toEqual(['k1']);
    expect(parseKeys(`a:${k},b:${k}`).map((x) => x.id)).toEqual(['a', 'b']);
    expect(() => keyringOf(parseKeys(`a:${randomBytes(16).toString('base64')}`))).toThrow(/32 bytes/);
    expect(() => keyringOf(parseKeys(`a:${k},a:${k}`))).toThrow(/share an id/);
    expect(() => keyringOf(parseKeys(`bad id:${k}`))).toThrow(/letters, digits/);
    expect(() => keyringOf([])).toThrow(/at least one key/);
  });
});
