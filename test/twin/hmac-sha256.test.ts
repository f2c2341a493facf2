/**
 * The TypeScript HMAC-SHA-256 SigV4 verification uses, against node:crypto's: every message length
 * around the block boundaries (where the padding takes one block or two), multi-byte UTF-8, and
 * keys of every length up to one block.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { hmacKey, hmacSha256Hex } from '../../src/twin/sigv4/hmac-sha256.ts';

const native = (key: Buffer, message: string) =>
  createHmac('sha256', key).update(message, 'utf8').digest('hex');

describe('HMAC-SHA-256 equals node:crypto’s', () => {
  it('for message lengths 0–300 (one-block and two-block padding, several blocks)', () => {
    const key = randomBytes(32);
    const pads = hmacKey(key);
    for (let length = 0; length <= 300; length++) {
      const message = 'x'.repeat(length);
      assert.equal(hmacSha256Hex(pads, message), native(key, message), `length ${length}`);
    }
  });

  const MESSAGES: Array<[string, string]> = [
    [
      'a SigV4 string to sign',
      'AWS4-HMAC-SHA256\n20261126T082100Z\n20261126/us-east-1/dynamodb/aws4_request\n' + 'ab'.repeat(32),
    ],
    ['two- and three-byte UTF-8', 'é€'.repeat(40)],
    ['four-byte UTF-8 (surrogate pairs)', '😀'.repeat(30)],
    ['a long message (many blocks)', 'canonical\n'.repeat(2000)],
  ];
  for (const [name, message] of MESSAGES) {
    it(`for ${name}`, () => {
      const key = randomBytes(32);
      assert.equal(hmacSha256Hex(hmacKey(key), message), native(key, message));
    });
  }

  it('for keys of 0–64 bytes', () => {
    for (let length = 0; length <= 64; length++) {
      const key = randomBytes(length);
      assert.equal(hmacSha256Hex(hmacKey(key), 'message'), native(key, 'message'), `key length ${length}`);
    }
  });

  it('refuses a key longer than a block instead of computing a wrong HMAC', () => {
    assert.throws(() => hmacKey(randomBytes(65)), /longer than one block/);
  });
});
