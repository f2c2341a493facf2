/**
 * Envelope encryption of secret values, as Secrets Manager does it: a KMS data key per version
 * (encryption context SecretARN + SecretVersionId), the value sealed with AES-256-GCM under that
 * data key; only the encrypted data key is stored, never the value or the key in clear.
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface SealedValue {
  readonly keyArn: string;
  /** base64 KMS ciphertext blob of the data key. */
  readonly encryptedDataKey: string;
  readonly iv: string;
  readonly tag: string;
  readonly ciphertext: string;
  readonly kind: 'string' | 'binary';
}

export function encryptionContext(secretArn: string, versionId: string): Record<string, string> {
  return { SecretARN: secretArn, SecretVersionId: versionId };
}

export function sealValue(
  dataKey: Buffer,
  keyArn: string,
  encryptedDataKey: Buffer,
  value: Buffer,
  kind: SealedValue['kind'],
): SealedValue {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  const ciphertext = Buffer.concat([cipher.update(value), cipher.final()]);
  return {
    keyArn,
    encryptedDataKey: encryptedDataKey.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    kind,
  };
}

export function openValue(dataKey: Buffer, sealed: SealedValue): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(sealed.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
}
