/** SigV4 signing keys, derived once per (secret, day, region, service) and cached. */
import { createHmac } from 'node:crypto';

const cache = new Map<string, Buffer>();
const CACHE_LIMIT = 1000;

export function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const id = `${secretAccessKey}\0${date}\0${region}\0${service}`;
  let key = cache.get(id);
  if (!key) {
    key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(id, key);
  }
  return key;
}
