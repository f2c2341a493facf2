/**
 * HMAC-SHA-256 (RFC 2104 over FIPS 180-4's SHA-256) in plain TypeScript, for the one HMAC SigV4
 * verification computes per request: the signature over the string to sign.
 *
 * Why not node:crypto: `createHmac(key)` sets up an OpenSSL MAC context from the key on every call.
 * Measured inside a busy twin (bench/twin.ts, hrtime around each call, 2-core box): 21–26 µs per
 * native HMAC against 11–16 µs here; in a tight loop both take ~4 µs. Here the key's two pad
 * blocks are hashed once per signing key (`hmacKey`), so an HMAC costs the message's blocks plus
 * one, and never leaves JavaScript. Plain SHA-256 stays native (`crypto.hash`): in the same
 * measurement a JavaScript SHA-256 of a canonical request was slower than OpenSSL's.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const INITIAL = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

// Scratch space, reused by every call (all calls are synchronous).
const schedule = new Int32Array(64);
const state = new Int32Array(8);
const tail = new Uint8Array(128);
const digestBytes = new Uint8Array(32);
const innerDigest = new Uint8Array(32);
let input = Buffer.allocUnsafe(8192);
const hexOut = Buffer.allocUnsafe(64);
const HEX = new TextEncoder().encode('0123456789abcdef');

/** One 64-byte block at `offset` into `h`. */
function compress(h: Int32Array, bytes: Uint8Array, offset: number): void {
  const w = schedule;
  for (let t = 0; t < 16; t++) {
    const i = offset + t * 4;
    w[t] = (bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3];
  }
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15];
    const y = w[t - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
  }
  let a = h[0],
    b = h[1],
    c = h[2],
    d = h[3],
    e = h[4],
    f = h[5],
    g = h[6],
    k = h[7];
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (k + S1 + ((e & f) ^ (~e & g)) + K[t] + w[t]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    k = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = (h[0] + a) | 0;
  h[1] = (h[1] + b) | 0;
  h[2] = (h[2] + c) | 0;
  h[3] = (h[3] + d) | 0;
  h[4] = (h[4] + e) | 0;
  h[5] = (h[5] + f) | 0;
  h[6] = (h[6] + g) | 0;
  h[7] = (h[7] + k) | 0;
}

/**
 * Hashes `length` bytes of `bytes` on from `from` (a midstate after `prefixBytes` bytes, or the
 * initial state) into `digestBytes`.
 */
function finish(from: Int32Array, prefixBytes: number, bytes: Uint8Array, length: number): void {
  state.set(from);
  let offset = 0;
  for (; offset + 64 <= length; offset += 64) compress(state, bytes, offset);
  const rest = length - offset;
  tail.fill(0);
  tail.set(bytes.subarray(offset, length));
  tail[rest] = 0x80;
  const blocks = rest + 9 <= 64 ? 1 : 2;
  const bits = (prefixBytes + length) * 8;
  const end = blocks * 64;
  const high = Math.floor(bits / 0x1_0000_0000);
  const low = bits >>> 0;
  tail[end - 8] = high >>> 24;
  tail[end - 7] = high >>> 16;
  tail[end - 6] = high >>> 8;
  tail[end - 5] = high;
  tail[end - 4] = low >>> 24;
  tail[end - 3] = low >>> 16;
  tail[end - 2] = low >>> 8;
  tail[end - 1] = low;
  compress(state, tail, 0);
  if (blocks === 2) compress(state, tail, 64);
  for (let i = 0; i < 8; i++) {
    const v = state[i];
    digestBytes[i * 4] = v >>> 24;
    digestBytes[i * 4 + 1] = v >>> 16;
    digestBytes[i * 4 + 2] = v >>> 8;
    digestBytes[i * 4 + 3] = v;
  }
}

function digestHex(): string {
  for (let i = 0; i < 32; i++) {
    hexOut[i * 2] = HEX[digestBytes[i] >>> 4];
    hexOut[i * 2 + 1] = HEX[digestBytes[i] & 15];
  }
  return hexOut.toString('latin1', 0, 64);
}

/** The UTF-8 bytes of `text` in the scratch buffer; returns how many. */
function encode(text: string): number {
  if (text.length * 3 > input.length) input = Buffer.allocUnsafe(text.length * 3);
  return input.write(text, 0, 'utf8');
}

/** A key for HMAC-SHA-256 with its inner and outer pads already hashed (one block each). */
export interface HmacKey {
  readonly inner: Int32Array;
  readonly outer: Int32Array;
}

/** Pre-hashes the pads of a key of at most 64 bytes (SigV4 signing keys are 32). */
export function hmacKey(key: Uint8Array): HmacKey {
  if (key.length > 64) throw new Error('hmacKey: keys longer than one block are not supported');
  const pad = new Uint8Array(64);
  const inner = INITIAL.slice();
  const outer = INITIAL.slice();
  for (let i = 0; i < 64; i++) pad[i] = (key[i] ?? 0) ^ 0x36;
  compress(inner, pad, 0);
  for (let i = 0; i < 64; i++) pad[i] = (key[i] ?? 0) ^ 0x5c;
  compress(outer, pad, 0);
  return { inner, outer };
}

/** HMAC-SHA-256 of a string (as UTF-8), as lower-case hex. */
export function hmacSha256Hex(key: HmacKey, message: string): string {
  const length = encode(message); // may replace `input` with a larger buffer
  finish(key.inner, 64, input, length);
  // The inner digest is the outer hash's whole message: copy it out of the scratch first.
  innerDigest.set(digestBytes);
  finish(key.outer, 64, innerDigest, 32);
  return digestHex();
}
