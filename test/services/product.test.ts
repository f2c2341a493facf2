import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { contentTypeOf, dynamoCatalog, s3Images } from '../../services/product/aws-catalog.ts';
import type { ImageStore, Product, ProductCatalog } from '../../services/product/catalog.ts';
import { routeProductRequest } from '../../services/product/routes.ts';

const mug: Product = { productId: 'p-mug', name: 'Mug', price: 1200, imageKey: 'images/p-mug.png' };
const tee: Product = { productId: 'p-tee', name: 'Tee', price: 2500, imageKey: 'images/missing.png' };
const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

const catalog: ProductCatalog = {
  list: async () => [mug, tee],
  get: async (id) => [mug, tee].find((p) => p.productId === id),
};
const images: ImageStore = {
  get: async (key) => (key === mug.imageKey ? { bytes: png, contentType: 'image/png' } : undefined),
};
const deps = { catalog, images };
const event = (resource: string, id?: string, httpMethod = 'GET') => ({
  httpMethod,
  resource,
  pathParameters: id === undefined ? null : { id },
});

describe('product routes', () => {
  test('GET /products lists the catalogue', async () => {
    const result = await routeProductRequest(event('/products'), deps);
    assert.equal(result.statusCode, 200);
    assert.deepEqual(JSON.parse(result.body), { products: [mug, tee] });
  });

  test('GET /products/{id}: 200 for a product, 404 for an unknown id, 400 for an invalid id', async () => {
    const found = await routeProductRequest(event('/products/{id}', 'p-mug'), deps);
    assert.equal(found.statusCode, 200);
    assert.deepEqual(JSON.parse(found.body), mug);
    assert.equal((await routeProductRequest(event('/products/{id}', 'p-none'), deps)).statusCode, 404);
    assert.equal((await routeProductRequest(event('/products/{id}', '../etc'), deps)).statusCode, 400);
    assert.equal((await routeProductRequest(event('/products/{id}'), deps)).statusCode, 400);
  });

  test('GET /products/{id}/image returns the object base64-encoded with isBase64Encoded and its type', async () => {
    const result = await routeProductRequest(event('/products/{id}/image', 'p-mug'), deps);
    assert.equal(result.statusCode, 200);
    assert.equal(result.isBase64Encoded, true);
    assert.deepEqual(result.headers, { 'content-type': 'image/png' });
    assert.deepEqual(Buffer.from(result.body, 'base64'), Buffer.from(png));
  });

  test('GET /products/{id}/image: 404 when the product or its image is missing', async () => {
    assert.equal((await routeProductRequest(event('/products/{id}/image', 'p-tee'), deps)).statusCode, 404);
    assert.equal((await routeProductRequest(event('/products/{id}/image', 'p-none'), deps)).statusCode, 404);
  });

  test('methods other than GET: 405', async () => {
    assert.equal((await routeProductRequest(event('/products', undefined, 'POST'), deps)).statusCode, 405);
  });
});

describe('AWS adapters (stubbed clients)', () => {
  test('list scans every page of the products table and sorts by id', async () => {
    const inputs: Record<string, unknown>[] = [];
    const pages = [
      { Items: [tee], LastEvaluatedKey: { productId: 'p-tee' } },
      { Items: [mug], LastEvaluatedKey: undefined },
    ];
    const client = {
      send: async (command: { input: Record<string, unknown> }) => (
        inputs.push(command.input),
        pages[inputs.length - 1]
      ),
    };
    assert.deepEqual(await dynamoCatalog(client as never, 'products').list(), [mug, tee]);
    assert.deepEqual(inputs, [
      { TableName: 'products', ExclusiveStartKey: undefined },
      { TableName: 'products', ExclusiveStartKey: { productId: 'p-tee' } },
    ]);
  });

  test('get is a GetItem by productId', async () => {
    const inputs: unknown[] = [];
    const client = {
      send: async (command: { input: unknown }) => (inputs.push(command.input), { Item: mug }),
    };
    assert.deepEqual(await dynamoCatalog(client as never, 'products').get('p-mug'), mug);
    assert.deepEqual(inputs, [{ TableName: 'products', Key: { productId: 'p-mug' } }]);
  });

  test('images: GetObject bytes and content type; NoSuchKey means undefined; other errors propagate', async () => {
    const inputs: unknown[] = [];
    const ok = {
      send: async (command: { input: unknown }) => (
        inputs.push(command.input),
        { Body: { transformToByteArray: async () => png }, ContentType: 'image/png' }
      ),
    };
    assert.deepEqual(await s3Images(ok as never, 'bucket').get('images/p-mug.png'), {
      bytes: png,
      contentType: 'image/png',
    });
    assert.deepEqual(inputs, [{ Bucket: 'bucket', Key: 'images/p-mug.png' }]);
    const missing = {
      send: async () => Promise.reject(Object.assign(new Error('gone'), { name: 'NoSuchKey' })),
    };
    assert.equal(await s3Images(missing as never, 'bucket').get('k'), undefined);
    const denied = {
      send: async () => Promise.reject(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' })),
    };
    await assert.rejects(s3Images(denied as never, 'bucket').get('k'), /Access Denied/);
  });

  for (const [key, type] of [
    ['a.png', 'image/png'],
    ['a.PNG', 'image/png'],
    ['a.jpg', 'image/jpeg'],
    ['a.jpeg', 'image/jpeg'],
    ['a.bin', 'application/octet-stream'],
  ]) {
    test(`contentTypeOf(${key}) = ${type}`, () => assert.equal(contentTypeOf(key), type));
  }
});
