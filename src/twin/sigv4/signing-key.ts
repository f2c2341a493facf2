/** SigV4 signing keys, derived once per (secret, day, region, service) and cached. */
import { createHmac } from 'node:crypto';
import { hmacKey, hmacSha256Hex, type HmacKey } from './hmac-sha256.ts';

/** A derived key, with its HMAC pads hashed once (`hmac-sha256.ts`). */
export interface SigningKey {
  readonly bytes: Buffer;
  readonly pads: HmacKey;
}

const cache = new Map<string, SigningKey>();
const CACHE_LIMIT = 1000;

export function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** HMAC-SHA-256 under a signing key, as lower-case hex. */
export function hmacHex(key: SigningKey, data: string): string {
  return hmacSha256Hex(key.pads, data);
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
    key = { bytes, pads: hmacKey(bytes) };
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(id, key);
  }
  return key;
}
