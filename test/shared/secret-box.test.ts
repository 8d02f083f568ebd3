import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyIdOf, parseEncryptionKey, SecretBox, SecretBoxError, SecretKeyring, sealedKeyId } from '../../src/shared/secret-box.js';

const TOKEN = 'xoxb-1234567890-0987654321-SECRETsecretSECRET';
const WS = 'T0AAA';
const key = () => randomBytes(32);

/** The sealed text with its payload's byte at `index` flipped. */
function tampered(sealed: string, index: number): string {
  const [version, keyId, data] = sealed.split('.') as [string, string, string];
  const bytes = Buffer.from(data, 'base64url');
  bytes[index] = bytes[index]! ^ 0x01;
  return `${version}.${keyId}.${bytes.toString('base64url')}`;
}

describe('SecretBox', () => {
  it('round-trips a token for its workspace; the sealed text contains nothing of it and names its key', () => {
    const k = key();
    const box = new SecretBox(k);
    const sealed = box.seal(TOKEN, WS);
    expect(sealed).toMatch(/^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('xoxb');
    expect(sealed).not.toContain('SECRET');
    expect(box.open(sealed, WS)).toBe(TOKEN);
    expect(sealedKeyId(sealed)).toBe(box.keyId);
    expect(box.keyId).toBe(keyIdOf(k));
    expect(box.sealedWithThisKey(sealed)).toBe(true);
    // Another box over the same key bytes opens it (the key, not the object, is what counts).
    expect(new SecretBox(Buffer.from(k)).open(sealed, WS)).toBe(TOKEN);
    // Empty and non-ASCII secrets too.
    expect(box.open(box.seal('', WS), WS)).toBe('');
    expect(box.open(box.seal('clé ✓ 秘密', WS), WS)).toBe('clé ✓ 秘密');
  });

  it('uses a new random nonce for every seal: the same token sealed twice never looks the same', () => {
    const box = new SecretBox(key());
    const sealedTexts = Array.from({ length: 2000 }, () => box.seal(TOKEN, WS));
    expect(new Set(sealedTexts).size).toBe(sealedTexts.length);
    const nonces = sealedTexts.map((s) => Buffer.from(s.split('.')[2]!, 'base64url').subarray(0, 12).toString('hex'));
    expect(new Set(nonces).size).toBe(nonces.length);
    for (const s of sealedTexts.slice(0, 20)) expect(box.open(s, WS)).toBe(TOKEN);
  });

  it('refuses a sealed text altered anywhere: nonce, tag or ciphertext', () => {
    const box = new SecretBox(key());
    const sealed = box.seal(TOKEN, WS);
    const length = Buffer.from(sealed.split('.')[2]!, 'base64url').length;
    for (const index of [0, 11, 12, 27, 28, length - 1]) {
      expect(() => box.open(tampered(sealed, index), WS), `byte ${index}`).toThrow(/does not authenticate/);
    }
    // Truncated, or cut to less than a nonce and tag.
    const data = sealed.split('.')[2]!;
    expect(() => box.open(sealed.slice(0, -4), WS)).toThrow(SecretBoxError);
    expect(() => box.open(`v1.${box.keyId}.${data.slice(0, 20)}`, WS)).toThrow(/truncated/);
    // Not a sealed text at all (a token stored in clear, say).
    expect(() => box.open('not sealed at all', WS)).toThrow(/not a sealed secret/);
    expect(() => box.open(TOKEN, WS)).toThrow(/not a sealed secret/);
  });

  it('opens only for the workspace it was sealed for: a ciphertext copied to another row does not open', () => {
    const box = new SecretBox(key());
    expect(() => box.open(box.seal(TOKEN, WS), 'T0BBB')).toThrow(/does not authenticate/);
  });

  it('a wrong key is named as such, with both key ids and without the token', () => {
    const sealed = new SecretBox(key()).seal(TOKEN, WS);
    const other = new SecretBox(key());
    let error: unknown;
    try {
      other.open(sealed, WS);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SecretBoxError);
    const message = (error as Error).message;
    expect(message).toContain(`key id ${sealedKeyId(sealed)}`);
    expect(message).toContain(other.keyId);
    expect(message).toMatch(/wrong AIPATH_ENCRYPTION_KEY|rotation/);
    expect(message).not.toContain('xoxb');
    expect(other.sealedWithThisKey(sealed)).toBe(false);
  });

  it('a text relabelled with the right key id but sealed under another key still does not open', () => {
    const box = new SecretBox(key());
    const foreign = new SecretBox(key()).seal(TOKEN, WS);
    const relabelled = `v1.${box.keyId}.${foreign.split('.')[2]}`;
    expect(() => box.open(relabelled, WS)).toThrow(/does not authenticate/);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(/exactly 32 bytes/);
  });
});

describe('parseEncryptionKey', () => {
  it('takes 32 bytes in base64, standard or URL-safe, padded or not, with surrounding whitespace', () => {
    const k = key();
    expect(parseEncryptionKey(k.toString('base64'))).toEqual(k);
    expect(parseEncryptionKey(`  ${k.toString('base64')}\n`)).toEqual(k);
    expect(parseEncryptionKey(k.toString('base64url'))).toEqual(k);
    expect(parseEncryptionKey(k.toString('base64').replace(/=+$/, ''))).toEqual(k);
  });

  it('refuses anything but exactly 32 bytes, saying why without repeating the value', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['   ', /empty/],
      [randomBytes(16).toString('base64'), /holds 16 bytes/],
      [randomBytes(31).toString('base64'), /holds 31 bytes/],
      [randomBytes(33).toString('base64'), /holds 33 bytes/],
      [randomBytes(64).toString('base64'), /holds 64 bytes/],
      [randomBytes(32).toString('hex'), /holds 48 bytes/],
      ['not base64 at all!', /not base64/],
      [`${randomBytes(32).toString('base64')}#`, /not base64/],
      ['a', /not base64/],
    ];
    for (const [value, expected] of cases) {
      let error: unknown;
      try {
        parseEncryptionKey(value);
      } catch (err) {
        error = err;
      }
      expect(error, JSON.stringify(value)).toBeInstanceOf(SecretBoxError);
      expect((error as Error).message).toMatch(expected);
      if (value.trim().length > 8) expect((error as Error).message).not.toContain(value.trim());
    }
  });
});

describe('SecretKeyring', () => {
  it('alone, seals and opens with the current key', () => {
    const current = key();
    const ring = new SecretKeyring(current);
    const sealed = ring.seal(TOKEN, WS);
    expect(sealedKeyId(sealed)).toBe(keyIdOf(current));
    expect(ring.open(sealed, WS)).toBe(TOKEN);
    expect(new SecretBox(current).open(sealed, WS)).toBe(TOKEN);
  });

  it('during a rotation, opens secrets sealed with either key and seals new ones with the next key', () => {
    const current = key();
    const next = key();
    const ring = new SecretKeyring(current, next);
    const old = new SecretBox(current).seal(TOKEN, WS);
    expect(ring.open(old, WS)).toBe(TOKEN);
    const fresh = ring.seal('xoxb-installed-meanwhile', WS);
    expect(sealedKeyId(fresh)).toBe(keyIdOf(next));
    expect(ring.sealing.keyId).toBe(keyIdOf(next));
    expect(new SecretBox(next).open(fresh, WS)).toBe('xoxb-installed-meanwhile');
  });

  it('names every key id it holds when a secret was sealed with none of them, and still refuses altered ones', () => {
    const ring = new SecretKeyring(key(), key());
    const foreign = new SecretBox(key()).seal(TOKEN, WS);
    expect(() => ring.open(foreign, WS)).toThrow(new RegExp(`key id ${sealedKeyId(foreign)}; the configured keys are [0-9a-f]{8} and [0-9a-f]{8}`));
    expect(() => ring.open(tampered(ring.seal(TOKEN, WS), 30), WS)).toThrow(/does not authenticate/);
    expect(() => ring.open('plain', WS)).toThrow(/not a sealed secret/);
  });
});
