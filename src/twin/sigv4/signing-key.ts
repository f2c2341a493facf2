/** SigV4 signing keys, derived once per (secret, day, region, service) and cached. */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/** A derived key, with the KeyObject that createHmac takes without re-importing the bytes. */
export interface SigningKey {
  readonly bytes: Buffer;
  readonly keyObject: KeyObject;
}

const cache = new Map<string, SigningKey>();
const CACHE_LIMIT = 1000;

export function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** HMAC-SHA-256 as lower-case hex, straight from the digest (no intermediate Buffer). */
export function hmacHex(key: SigningKey, data: string): string {
  return createHmac('sha256', key.keyObject).update(data, 'utf8').digest('hex');
}

export function signingKey(
  secretAccessKey: string,
  date: string,
  region: string,
  service: string,
): SigningKey {
  const id = `${secretAccessKey}\0${date}\0${region}\0${service}`;
  let key = cache.get(id);
  if (!key) {
    const bytes = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
    key = { bytes, keyObject: createSecretKey(bytes) };
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(id, key);
  }
  return key;
}
