import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Router } from '../../../src/emulators/apigateway/index.ts';
import type { ResourceDef } from '../../../src/emulators/apigateway/index.ts';

const proxy = { type: 'AWS_PROXY', functionArn: 'arn:aws:lambda:us-east-1:111122223333:function:f' };
function resource(path: string, ...methods: string[]): ResourceDef {
  return {
    id: path,
    path,
    methods: methods.map((httpMethod) => ({
      httpMethod,
      authorizationType: 'NONE',
      apiKeyRequired: false,
      integration: proxy,
    })),
  };
}

const storefront = new Router([
  resource('/', 'GET'),
  resource('/products', 'GET', 'POST'),
  resource('/products/{id}', 'GET'),
  resource('/products/featured', 'PATCH'),
  resource('/users/me', 'ANY'),
  resource('/users/{userId}', 'GET'),
  resource('/files/{proxy+}', 'GET'),
  resource('/orders'),
  resource('/orders/{orderId}/items', 'POST'),
  resource('/{proxy+}', 'ANY'),
]);

// [method, path, expected resource (undefined: 403 Missing Authentication Token), path parameters]
const cases: Array<[string, string, string | undefined, Record<string, string> | null]> = [
  ['GET', '/', '/', null],
  ['POST', '/', undefined, null], // {proxy+} needs at least one segment; '/' has only GET
  ['GET', '/products', '/products', null],
  ['get', '/products/', '/products', null], // method case and a trailing slash do not matter
  ['DELETE', '/products', '/{proxy+}', { proxy: 'products' }], // declared verb mismatch falls through
  ['GET', '/products/42', '/products/{id}', { id: '42' }],
  ['GET', '/products/featured', '/products/{id}', { id: 'featured' }], // literal lacks GET: sibling param
  ['PATCH', '/products/featured', '/products/featured', null], // literal wins when it has the method
  ['GET', '/users/me', '/users/me', null], // ANY on the literal beats GET on the parameter
  ['GET', '/users/u-1', '/users/{userId}', { userId: 'u-1' }],
  ['GET', '/files/a/b/c.png', '/files/{proxy+}', { proxy: 'a/b/c.png' }],
  ['POST', '/files/a', '/{proxy+}', { proxy: 'files/a' }],
  ['GET', '/files', '/{proxy+}', { proxy: 'files' }], // /files/{proxy+} needs a segment after /files
  ['GET', '/orders', '/{proxy+}', { proxy: 'orders' }], // a resource with no methods never serves
  ['POST', '/orders/9/items', '/orders/{orderId}/items', { orderId: '9' }],
  ['GET', '/orders/9/items', '/{proxy+}', { proxy: 'orders/9/items' }],
];

describe('REST API routing', () => {
  for (const [method, path, expected, params] of cases) {
    it(`${method} ${path} → ${expected ?? '403 Missing Authentication Token'}`, () => {
      const match = storefront.match(method, path);
      assert.equal(match?.resource.path, expected);
      if (match) assert.deepEqual(match.pathParameters, params);
    });
  }

  it('prefers an exact method to ANY on the same resource', () => {
    const cart = resource('/cart', 'ANY', 'GET');
    const router = new Router([cart]);
    assert.equal(router.match('GET', '/cart')?.method.httpMethod, 'GET');
    assert.equal(router.match('PUT', '/cart')?.method.httpMethod, 'ANY');
  });

  const withoutProxy = new Router([resource('/products', 'GET'), resource('/products/{id}', 'GET')]);
  const misses: Array<[string, string]> = [
    ['POST', '/products'],
    ['GET', '/nothing'],
    ['GET', '/products/1/extra'],
    ['GET', '/'],
  ];
  for (const [method, path] of misses) {
    it(`${method} ${path} with no catch-all → no route (never 404/405)`, () => {
      assert.equal(withoutProxy.match(method, path), undefined);
    });
  }
});
