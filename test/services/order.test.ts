import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { dynamoOrders, dynamoPrices } from '../../services/order/aws-tables.ts';
import { requestHash, validateOrderRequest, type Order } from '../../services/order/order.ts';
import type { OrderDeps } from '../../services/order/place-order.ts';
import type { ApiReply, InternalApi, OrderStore, PaymentRequest } from '../../services/order/ports.ts';
import { routeOrderRequest } from '../../services/order/routes.ts';

const validBody = {
  orderId: 'order-1',
  customerId: 'cust-1',
  items: [
    { productId: 'p-mug', quantity: 2 },
    { productId: 'p-tee', quantity: 1 },
  ],
};

describe('validateOrderRequest', () => {
  const cases: [string, unknown, string | null][] = [
    ['a valid order', validBody, null],
    ['not an object', [], 'body must be a JSON object'],
    ['missing orderId', { ...validBody, orderId: undefined }, 'orderId must be'],
    ['orderId with a slash', { ...validBody, orderId: 'a/b' }, 'orderId must be'],
    ['orderId too long', { ...validBody, orderId: 'x'.repeat(65) }, 'orderId must be'],
    ['customerId a number', { ...validBody, customerId: 7 }, 'customerId must be'],
    ['items missing', { ...validBody, items: undefined }, 'items must be a list'],
    ['items empty', { ...validBody, items: [] }, 'items must be a list'],
    [
      '51 lines',
      { ...validBody, items: Array.from({ length: 51 }, (_, i) => ({ productId: `p${i}`, quantity: 1 })) },
      'items must be a list',
    ],
    ['line without productId', { ...validBody, items: [{ quantity: 1 }] }, 'items[0].productId'],
    ['quantity zero', { ...validBody, items: [{ productId: 'p', quantity: 0 }] }, 'items[0].quantity'],
    [
      'quantity fractional',
      { ...validBody, items: [{ productId: 'p', quantity: 1.5 }] },
      'items[0].quantity',
    ],
    ['quantity 101', { ...validBody, items: [{ productId: 'p', quantity: 101 }] }, 'items[0].quantity'],
    ['quantity as string', { ...validBody, items: [{ productId: 'p', quantity: '1' }] }, 'items[0].quantity'],
    [
      'duplicate product',
      {
        ...validBody,
        items: [
          { productId: 'p', quantity: 1 },
          { productId: 'p', quantity: 2 },
        ],
      },
      'items[1].productId p appears twice',
    ],
  ];
  for (const [name, body, error] of cases) {
    test(name, () => {
      const result = validateOrderRequest(body);
      if (error === null) assert.deepEqual(result, { ok: true, value: validBody });
      else {
        assert.equal(result.ok, false);
        assert.match((result as { message: string }).message, new RegExp(error.replace(/[[\]().]/g, '\\$&')));
      }
    });
  }

  test('extra fields are dropped, not stored', () => {
    const result = validateOrderRequest({
      ...validBody,
      price: 1,
      items: [{ productId: 'p', quantity: 1, unitPrice: 0 }],
    });
    assert.deepEqual(result, {
      ok: true,
      value: { orderId: 'order-1', customerId: 'cust-1', items: [{ productId: 'p', quantity: 1 }] },
    });
  });
});

describe('requestHash', () => {
  test('same content, same hash; any change of customer, product, quantity or order of lines changes it', () => {
    const base = validateOrderRequest(validBody);
    assert.ok(base.ok);
    const hash = requestHash(base.value);
    assert.equal(requestHash({ ...base.value }), hash);
    assert.equal(
      requestHash({ ...base.value, orderId: 'other' }),
      hash,
      'the orderId is the key, not content',
    );
    const variants = [
      { ...base.value, customerId: 'cust-2' },
      {
        ...base.value,
        items: [
          { productId: 'p-mug', quantity: 3 },
          { productId: 'p-tee', quantity: 1 },
        ],
      },
      { ...base.value, items: [...base.value.items].reverse() },
    ];
    for (const variant of variants) assert.notEqual(requestHash(variant), hash);
  });
});

/** An in-memory world: orders table, price list, private API — counting every call. */
function world(
  options: { customers?: string[]; prices?: Record<string, number>; paymentStatus?: number } = {},
) {
  const stored = new Map<string, Order>();
  const calls = { payments: [] as PaymentRequest[], customers: [] as string[], puts: 0 };
  const orders: OrderStore = {
    async get(orderId) {
      return stored.get(orderId);
    },
    async putIfAbsent(order) {
      calls.puts += 1;
      if (stored.has(order.orderId)) return false;
      stored.set(order.orderId, structuredClone(order));
      return true;
    },
  };
  const prices = options.prices ?? { 'p-mug': 1200, 'p-tee': 2500 };
  const customers = options.customers ?? ['cust-1'];
  const internalApi: InternalApi = {
    async getCustomer(customerId): Promise<ApiReply> {
      calls.customers.push(customerId);
      return customers.includes(customerId)
        ? { status: 200, body: { customerId } }
        : { status: 404, body: { message: 'nope' } };
    },
    async authorizePayment(request): Promise<ApiReply> {
      calls.payments.push(request);
      const status = options.paymentStatus ?? 200;
      return {
        status,
        body: {
          authorizationId: `auth_${request.orderId}`,
          status: status === 200 ? 'AUTHORIZED' : 'DECLINED',
          signature: 'ab'.repeat(32),
        },
      };
    },
  };
  const deps: OrderDeps = {
    orders,
    prices: { unitPrice: async (productId) => prices[productId] },
    internalApi,
    now: () => new Date('2026-11-26T04:00:00Z'),
  };
  return { deps, stored, calls };
}

const post = (body: unknown) => ({
  httpMethod: 'POST',
  resource: '/orders',
  pathParameters: null,
  body: JSON.stringify(body),
  isBase64Encoded: false,
});
const get = (id: string) => ({
  httpMethod: 'GET',
  resource: '/orders/{id}',
  pathParameters: { id },
  body: null,
  isBase64Encoded: false,
});
const bodyOf = (result: APIGatewayProxyResult) => JSON.parse(result.body) as Record<string, unknown>;

describe('POST /orders', () => {
  test('a new order: 201, priced from the products table, payment authorized and recorded', async () => {
    const { deps, stored, calls } = world();
    const result = await routeOrderRequest(post(validBody), deps);
    assert.equal(result.statusCode, 201);
    const order = bodyOf(result);
    assert.equal(order.amount, 2 * 1200 + 2500);
    assert.equal(order.currency, 'USD');
    assert.equal(order.status, 'CONFIRMED');
    assert.deepEqual(order.items, [
      { productId: 'p-mug', quantity: 2, unitPrice: 1200 },
      { productId: 'p-tee', quantity: 1, unitPrice: 2500 },
    ]);
    assert.deepEqual(order.payment, {
      authorizationId: 'auth_order-1',
      status: 'AUTHORIZED',
      signature: 'ab'.repeat(32),
    });
    assert.equal(order.createdAt, '2026-11-26T04:00:00.000Z');
    assert.deepEqual(calls.customers, ['cust-1']);
    assert.deepEqual(calls.payments, [
      { orderId: 'order-1', customerId: 'cust-1', amount: 4900, currency: 'USD' },
    ]);
    assert.deepEqual(stored.get('order-1'), order);
  });

  test('a retry with the same content: 200 with the stored order, no second payment or write', async () => {
    const { deps, calls } = world();
    const first = await routeOrderRequest(post(validBody), deps);
    const retry = await routeOrderRequest(post(validBody), deps);
    assert.equal(retry.statusCode, 200);
    assert.deepEqual(bodyOf(retry), bodyOf(first));
    assert.equal(calls.payments.length, 1);
    assert.equal(calls.puts, 1);
  });

  test('the same orderId with different content: 409, the stored order unchanged', async () => {
    const { deps, stored } = world();
    await routeOrderRequest(post(validBody), deps);
    const before = structuredClone(stored.get('order-1'));
    const conflict = await routeOrderRequest(
      post({ ...validBody, items: [{ productId: 'p-mug', quantity: 5 }] }),
      deps,
    );
    assert.equal(conflict.statusCode, 409);
    assert.match(String(bodyOf(conflict).message), /order-1 already exists with different content/);
    assert.deepEqual(stored.get('order-1'), before);
  });

  test('losing a race on the conditional put is answered like a retry (200) or a conflict (409)', async () => {
    for (const [sameContent, expected] of [
      [true, 200],
      [false, 409],
    ] as const) {
      const { deps, stored } = world();
      const winnerRequest = sameContent
        ? validBody
        : { ...validBody, customerId: 'cust-1', items: [{ productId: 'p-tee', quantity: 9 }] };
      const winner = validateOrderRequest(winnerRequest);
      assert.ok(winner.ok);
      // The other request writes between our GetItem and our PutItem.
      const racingStore: OrderStore = {
        get: deps.orders.get,
        async putIfAbsent(order) {
          stored.set(order.orderId, {
            ...order,
            requestHash: requestHash(winner.value),
            createdAt: 'earlier',
          });
          return false;
        },
      };
      const result = await routeOrderRequest(post(validBody), { ...deps, orders: racingStore });
      assert.equal(result.statusCode, expected);
    }
  });

  const rejections: [string, Parameters<typeof world>[0], unknown, number, RegExp][] = [
    ['an unknown customer', { customers: [] }, validBody, 400, /customer cust-1 does not exist/],
    ['an unknown product', { prices: { 'p-mug': 1200 } }, validBody, 400, /product p-tee does not exist/],
    ['a declined payment', { paymentStatus: 402 }, validBody, 402, /payment declined/],
    [
      'a failing payment service',
      { paymentStatus: 500 },
      validBody,
      502,
      /payment authorization failed with status 500/,
    ],
    ['an invalid body', {}, { orderId: 'x' }, 400, /customerId must be/],
  ];
  for (const [name, options, body, status, message] of rejections) {
    test(`${name}: ${status}, nothing stored`, async () => {
      const { deps, stored } = world(options);
      const result = await routeOrderRequest(post(body), deps);
      assert.equal(result.statusCode, status);
      assert.match(String(bodyOf(result).message), message);
      assert.equal(stored.size, 0);
    });
  }

  test('a body that is not JSON: 400', async () => {
    const { deps } = world();
    const result = await routeOrderRequest({ ...post(validBody), body: '{oops' }, deps);
    assert.equal(result.statusCode, 400);
    assert.match(String(bodyOf(result).message), /not valid JSON/);
  });

  test('a missing body: 400', async () => {
    const { deps } = world();
    const result = await routeOrderRequest({ ...post(validBody), body: null }, deps);
    assert.equal(result.statusCode, 400);
  });

  test('a base64-encoded body (binary media type) is decoded', async () => {
    const { deps } = world();
    const body = Buffer.from(JSON.stringify(validBody)).toString('base64');
    const result = await routeOrderRequest({ ...post(validBody), body, isBase64Encoded: true }, deps);
    assert.equal(result.statusCode, 201);
  });
});

describe('GET /orders/{id}', () => {
  test('an existing order: 200; a missing one: 404; an invalid id: 400', async () => {
    const { deps } = world();
    await routeOrderRequest(post(validBody), deps);
    assert.equal((await routeOrderRequest(get('order-1'), deps)).statusCode, 200);
    assert.equal(bodyOf(await routeOrderRequest(get('order-1'), deps)).orderId, 'order-1');
    assert.equal((await routeOrderRequest(get('order-2'), deps)).statusCode, 404);
    assert.equal((await routeOrderRequest(get('a b'), deps)).statusCode, 400);
  });

  test('an unknown route: 404', async () => {
    const { deps } = world();
    const result = await routeOrderRequest({ ...get('x'), httpMethod: 'DELETE' }, deps);
    assert.equal(result.statusCode, 404);
  });
});

describe('DynamoDB adapters (stubbed client)', () => {
  test('putIfAbsent sends a PutItem conditioned on attribute_not_exists(orderId)', async () => {
    const inputs: unknown[] = [];
    const store = dynamoOrders(
      { send: async (command: { input: unknown }) => (inputs.push(command.input), {}) } as never,
      'orders-table',
    );
    const order = { orderId: 'o-1' } as Order;
    assert.equal(await store.putIfAbsent(order), true);
    assert.deepEqual(inputs, [
      { TableName: 'orders-table', Item: order, ConditionExpression: 'attribute_not_exists(orderId)' },
    ]);
  });

  test('putIfAbsent returns false on ConditionalCheckFailedException and rethrows anything else', async () => {
    const failing = (name: string) =>
      dynamoOrders(
        { send: async () => Promise.reject(Object.assign(new Error(name), { name })) } as never,
        't',
      );
    assert.equal(
      await failing('ConditionalCheckFailedException').putIfAbsent({ orderId: 'o' } as Order),
      false,
    );
    await assert.rejects(
      failing('ProvisionedThroughputExceededException').putIfAbsent({ orderId: 'o' } as Order),
      /ProvisionedThroughput/,
    );
  });

  test('get reads consistently by orderId', async () => {
    const inputs: unknown[] = [];
    const store = dynamoOrders(
      {
        send: async (command: { input: unknown }) => (
          inputs.push(command.input),
          { Item: { orderId: 'o-1' } }
        ),
      } as never,
      't',
    );
    assert.deepEqual(await store.get('o-1'), { orderId: 'o-1' });
    assert.deepEqual(inputs, [{ TableName: 't', Key: { orderId: 'o-1' }, ConsistentRead: true }]);
  });

  test('unitPrice reads the price; missing or non-integer prices mean unknown', async () => {
    const priced = (item: unknown) =>
      dynamoPrices({ send: async () => ({ Item: item }) } as never, 'products');
    assert.equal(await priced({ price: 1299 }).unitPrice('p'), 1299);
    assert.equal(await priced(undefined).unitPrice('p'), undefined);
    assert.equal(await priced({ price: 12.5 }).unitPrice('p'), undefined);
    assert.equal(await priced({ price: '12' }).unitPrice('p'), undefined);
  });
});
