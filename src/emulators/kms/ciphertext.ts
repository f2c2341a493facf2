/**
 * Our KMS ciphertext blob. Like AWS's, it is opaque to callers and names the key, so Decrypt
 * needs no KeyId:  0x01 | key id (36 ASCII bytes, a UUID) | IV (12) | GCM tag (16) | ciphertext.
 * The encryption context is bound as AES-GCM additional authenticated data.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 0x01;
const KEY_ID_LENGTH = 36;
const HEADER = 1 + KEY_ID_LENGTH + 12 + 16;

/** Stable bytes for an encryption context: keys sorted, JSON. */
export function contextBytes(context: Readonly<Record<string, string>> | undefined): Buffer {
  const entries = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(entries), 'utf8');
}

export function sealBlob(
  keyId: string,
  material: Buffer,
  plaintext: Buffer,
  context?: Readonly<Record<string, string>>,
): Buffer {
  if (keyId.length !== KEY_ID_LENGTH) throw new Error(`KMS key id must be a UUID: ${keyId}`);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', material, iv);
  cipher.setAAD(contextBytes(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([
    Buffer.from([VERSION]),
    Buffer.from(keyId, 'ascii'),
    iv,
    cipher.getAuthTag(),
    ciphertext,
  ]);
}

/** The key id a blob names, or undefined when it is not one of ours. */
export function blobKeyId(blob: Buffer): string | undefined {
  if (blob.length < HEADER || blob[0] !== VERSION) return undefined;
  const keyId = blob.subarray(1, 1 + KEY_ID_LENGTH).toString('ascii');
  return /^[0-9a-f-]{36}$/.test(keyId) ? keyId : undefined;
}

/** The plaintext, or undefined when the blob was tampered with or the context differs. */
export function openBlob(
  blob: Buffer,
  material: Buffer,
  context?: Readonly<Record<string, string>>,
): Buffer | undefined {
  if (blobKeyId(blob) === undefined) return undefined;
  const iv = blob.subarray(1 + KEY_ID_LENGTH, 1 + KEY_ID_LENGTH + 12);
  const tag = blob.subarray(1 + KEY_ID_LENGTH + 12, HEADER);
  try {
    const decipher = createDecipheriv('aes-256-gcm', material, iv);
    decipher.setAAD(contextBytes(context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(blob.subarray(HEADER)), decipher.final()]);
  } catch {
    return undefined;
  }
}
