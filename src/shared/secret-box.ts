import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Secrets at rest (bot tokens in multi-workspace mode): AES-256-GCM with a fresh random 12-byte nonce for every
 * seal and its 16-byte authentication tag, so a sealed value that was altered, truncated or moved to another row
 * does not open. The sealed text names the key it was sealed with (a short key id), so that a key rotation stopped
 * half-way, or the wrong AIPATH_ENCRYPTION_KEY, is reported as such rather than as damage.
 *
 * Sealed text: `v1.<key id>.<base64url(nonce ‖ tag ‖ ciphertext)>`. The version, the key id and the caller's
 * context (the workspace id the token belongs to) are authenticated with it as associated data.
 */

export const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';
const SEALED = /^v1\.([0-9a-f]{8})\.([A-Za-z0-9_-]+)$/;

/** A secret that cannot be sealed or opened; the message never contains the secret or the key. */
export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

/**
 * The key from its base64 text (standard or URL-safe alphabet, padding optional, surrounding whitespace ignored):
 * exactly 32 bytes, else a SecretBoxError that says what is wrong without repeating the value.
 */
export function parseEncryptionKey(base64: string): Buffer {
  const text = base64.trim();
  if (text === '') throw new SecretBoxError('is empty: it must be 32 random bytes in base64 (openssl rand -base64 32)');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text) || text.replace(/=+$/, '').length % 4 === 1)
    throw new SecretBoxError('is not base64: it must be 32 random bytes in base64 (openssl rand -base64 32)');
  const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== KEY_BYTES)
    throw new SecretBoxError(`holds ${key.length} bytes: it must be exactly ${KEY_BYTES} random bytes in base64 (openssl rand -base64 32)`);
  return key;
}

/** The key's short id: the first 4 bytes of a SHA-256 of it, in hex (reveals nothing usable about the key). */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('aipath secret-box key id\0').update(key).digest('hex').slice(0, 8);
}

/** The id of the key a sealed text was sealed with; undefined when it is not a sealed text. */
export function sealedKeyId(sealed: string): string | undefined {
  return SEALED.exec(sealed)?.[1];
}

export class SecretBox {
  readonly keyId: string;
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== KEY_BYTES) throw new SecretBoxError(`an encryption key must be exactly ${KEY_BYTES} bytes, not ${key.length}`);
    this.#key = Buffer.from(key);
    this.keyId = keyIdOf(key);
  }

  /** Seals `plaintext` for `context` (what it belongs to, e.g. the workspace id): only that context opens it. */
  seal(plaintext: string, context: string): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(this.associatedData(this.keyId, context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${VERSION}.${this.keyId}.${Buffer.concat([nonce, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
  }

  /** Whether `sealed` was sealed with this key (by its key id; opening it is the proof). */
  sealedWithThisKey(sealed: string): boolean {
    return sealedKeyId(sealed) === this.keyId;
  }

  /** The plaintext of a text this key sealed for `context`; a SecretBoxError saying why when it will not open. */
  open(sealed: string, context: string): string {
    const match = SEALED.exec(sealed);
    if (!match) throw new SecretBoxError('the value is not a sealed secret (v1.<key id>.<data>)');
    const [, keyId, data] = match as unknown as [string, string, string];
    if (keyId !== this.keyId)
      throw new SecretBoxError(
        `the secret was sealed with another key (key id ${keyId}; this key's id is ${this.keyId}): the wrong AIPATH_ENCRYPTION_KEY, or a key rotation not finished`,
      );
    const bytes = Buffer.from(data, 'base64url');
    if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new SecretBoxError('the sealed secret is truncated');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, bytes.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(this.associatedData(keyId, context));
    decipher.setAuthTag(bytes.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('the sealed secret does not authenticate: it was altered, or sealed for another workspace');
    }
  }

  private associatedData(keyId: string, context: string): Buffer {
    return Buffer.from(`${VERSION}\0${keyId}\0${context}`, 'utf8');
  }
}

/**
 * The keys a running bot holds during a key rotation: it opens a secret sealed with either, and seals new ones with
 * the next key when there is one (AIPATH_NEW_ENCRYPTION_KEY), so that `aipath rotate-key` can run while the bot
 * serves, and nothing installed meanwhile is left under the old key. Without a next key it is the current key alone.
 */
export class SecretKeyring {
  /** The box new secrets are sealed with. */
  readonly sealing: SecretBox;
  readonly #boxes: Map<string, SecretBox>;

  constructor(current: Buffer, next?: Buffer) {
    const boxes = [new SecretBox(current), ...(next ? [new SecretBox(next)] : [])];
    this.sealing = boxes[boxes.length - 1]!;
    this.#boxes = new Map(boxes.map((b) => [b.keyId, b]));
  }

  seal(plaintext: string, context: string): string {
    return this.sealing.seal(plaintext, context);
  }

  /** Opens a secret sealed with any key of the ring; a SecretBoxError naming the key ids when none sealed it. */
  open(sealed: string, context: string): string {
    const keyId = sealedKeyId(sealed);
    const box = keyId === undefined ? this.sealing : this.#boxes.get(keyId);
    if (!box)
      throw new SecretBoxError(
        `the secret was sealed with another key (key id ${keyId}; the configured keys are ${[...this.#boxes.keys()].join(' and ')}): the wrong AIPATH_ENCRYPTION_KEY, or a key rotation not finished`,
      );
    return box.open(sealed, context);
  }
}
