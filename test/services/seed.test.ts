/** fixtures/seed: the demo data the twin loads must satisfy the services' own rules. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { crc32, inflateSync } from 'node:zlib';
import { ID_PATTERN } from '../../services/shared/http.ts';
import { png } from '../../fixtures/seed/generate-images.ts';

const seed = new URL('../../fixtures/seed/', import.meta.url);
const products = JSON.parse(readFileSync(new URL('products.json', seed), 'utf8')) as Record<
  string,
  unknown
>[];
const customers = JSON.parse(readFileSync(new URL('customers.json', seed), 'utf8')) as Record<
  string,
  unknown
>[];

test('6-10 products, each with a valid id, a name, an integer price in cents and an image key', () => {
  assert.ok(products.length >= 6 && products.length <= 10, `${products.length} products`);
  for (const product of products) {
    assert.match(String(product.productId), ID_PATTERN);
    assert.equal(typeof product.name, 'string');
    assert.ok(
      Number.isSafeInteger(product.price) && (product.price as number) > 0,
      `${String(product.productId)} price`,
    );
    assert.equal(product.imageKey, `images/${String(product.productId)}.png`);
  }
  assert.equal(new Set(products.map((p) => p.productId)).size, products.length, 'ids are unique');
});

test('2-3 customers with valid ids, names and emails', () => {
  assert.ok(customers.length >= 2 && customers.length <= 3);
  for (const customer of customers) {
    assert.match(String(customer.customerId), ID_PATTERN);
    assert.equal(typeof customer.name, 'string');
    assert.match(String(customer.email), /^[^@\s]+@[^@\s]+\.[a-z]+$/);
  }
});

test('every image exists, is a valid 32x32 RGB PNG (signature, chunk CRCs, pixel data) and is up to date', () => {
  for (const { productId, imageKey } of products as { productId: string; imageKey: string }[]) {
    const file = new URL(imageKey, seed);
    assert.ok(existsSync(file), imageKey);
    const bytes = readFileSync(file);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(bytes.toString('ascii', 12, 16), 'IHDR');
    assert.equal(bytes.readUInt32BE(16), 32);
    assert.equal(bytes.readUInt32BE(20), 32);
    const idatLength = bytes.readUInt32BE(33);
    assert.equal(bytes.toString('ascii', 37, 41), 'IDAT');
    const pixels = inflateSync(bytes.subarray(41, 41 + idatLength));
    // Walk every chunk: length, type, data, CRC-32 over type+data (checked with zlib's own crc32).
    const types: string[] = [];
    for (let at = 8; at < bytes.length;) {
      const length = bytes.readUInt32BE(at);
      const typeAndData = bytes.subarray(at + 4, at + 8 + length);
      assert.equal(bytes.readUInt32BE(at + 8 + length), crc32(typeAndData), `${imageKey}: bad CRC`);
      types.push(typeAndData.toString('ascii', 0, 4));
      at += 12 + length;
    }
    assert.deepEqual(types, ['IHDR', 'IDAT', 'IEND']);
    assert.equal(pixels.length, 32 * (1 + 32 * 3));
    assert.deepEqual(bytes, png(productId), `${imageKey} differs from the generator's output`);
  }
});
