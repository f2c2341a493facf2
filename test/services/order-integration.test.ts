/**
 * The order service's real adapters end to end: the SDK v3 DocumentClient against dynalite (a local
 * DynamoDB with real conditional writes), and the SigV4-signed private API against a local server
 * that verifies every signature (independent verifier) before answering as the payment and database
 * services would.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoOrders, dynamoPrices } from '../../services/order/aws-tables.ts';
import { signedInternalApi } from '../../services/order/private-api.ts';
import { routeOrderRequest } from '../../services/order/routes.ts';
import { authorizePayment } from '../../services/payment/authorize.ts';
import { verifySigV4, type ReceivedRequest } from './sigv4-verifier.ts';

// dynalite is CommonJS without types; this test needs only its factory.
const dynalite = createRequire(import.meta.url)('dynalite') as (options: {
  createTableMs?: number;
}) => Server;

const credentials = { accessKeyId: 'AKIDORDER', secretAccessKey: 'order-secret' };
const listen = async (server: Server) => {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

let dynamo: Server;
let privateApi: Server;
let documents: DynamoDBDocumentClient;
let apiUrl: string;
const received: ReceivedRequest[] = [];

before(async () => {
  dynamo = dynalite({ createTableMs: 0 });
  const endpoint = await listen(dynamo);
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials });
  documents = DynamoDBDocumentClient.from(client);
  for (const [TableName, key] of [
    ['orders', 'orderId'],
    ['products', 'productId'],
  ]) {
    await client.send(
      new CreateTableCommand({
        TableName,
        KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  }
  for (const Item of [
    { productId: 'p-mug', name: 'Mug', price: 1200, imageKey: 'images/p-mug.png' },
    { productId: 'p-tee', name: 'Tee', price: 2500, imageKey: 'images/p-tee.png' },
  ]) {
    await documents.send(new PutCommand({ TableName: 'products', Item }));
  }

  privateApi = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const url = `https://private.example${request.url}`;
      const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
      const signed: ReceivedRequest = { method: request.method ?? '', url, headers, body: body || undefined };
      received.push(signed);
      // API Gateway with AWS_IAM: an unsigned or badly signed request is a 403.
      const check = (() => {
        try {
          return verifySigV4(
            { ...signed, url: `http://${request.headers.host}${request.url}` },
            credentials.secretAccessKey,
          );
        } catch {
          return undefined;
        }
      })();
      response.setHeader('content-type', 'application/json');
      if (!check?.ok || check.service !== 'execute-api') {
        response.statusCode = 403;
        return response.end(JSON.stringify({ message: 'Forbidden' }));
      }
      if (request.method === 'GET' && request.url === '/prod/customers/cust-ada') {
        return response.end(
          JSON.stringify({ customerId: 'cust-ada', name: 'Ada', email: 'ada@example.com' }),
        );
      }
      if (request.method === 'GET' && request.url?.startsWith('/prod/customers/')) {
        response.statusCode = 404;
        return response.end(JSON.stringify({ message: 'not found' }));
      }
      if (request.method === 'POST' && request.url === '/prod/payments') {
        const authorization = authorizePayment(
          JSON.parse(body) as Parameters<typeof authorizePayment>[0],
          'provider-key',
        );
        response.statusCode = authorization.status === 'AUTHORIZED' ? 200 : 402;
        return response.end(JSON.stringify(authorization));
      }
      response.statusCode = 404;
      response.end(JSON.stringify({ message: 'no route' }));
    });
  });
  apiUrl = `${await listen(privateApi)}/prod/`;
});

after(() => {
  dynamo?.close();
  privateApi?.close();
});

function deps() {
  return {
    orders: dynamoOrders(documents, 'orders'),
    prices: dynamoPrices(documents, 'products'),
    internalApi: signedInternalApi({ baseUrl: apiUrl, region: 'us-east-1', credentials }),
  };
}

const post = (body: unknown) => ({
  httpMethod: 'POST',
  resource: '/orders',
  pathParameters: null,
  body: JSON.stringify(body),
  isBase64Encoded: false,
});
const order = {
  orderId: 'order-int-1',
  customerId: 'cust-ada',
  items: [{ productId: 'p-mug', quantity: 2 }],
};

test('a new order is written to DynamoDB with the signed payment authorization (201)', async () => {
  const result = await routeOrderRequest(post(order), deps());
  assert.equal(result.statusCode, 201, result.body);
  const stored = await documents.send(
    new GetCommand({ TableName: 'orders', Key: { orderId: 'order-int-1' } }),
  );
  assert.equal(stored.Item?.amount, 2400);
  assert.equal(stored.Item?.payment.status, 'AUTHORIZED');
  assert.deepEqual(JSON.parse(result.body), stored.Item);
  assert.deepEqual(
    received.map((r) => `${r.method} ${new URL(r.url).pathname}`),
    ['GET /prod/customers/cust-ada', 'POST /prod/payments'],
  );
});

test('a retry returns the stored order (200); different content for the same id is a 409', async () => {
  const retry = await routeOrderRequest(post(order), deps());
  assert.equal(retry.statusCode, 200);
  const conflict = await routeOrderRequest(
    post({ ...order, items: [{ productId: 'p-tee', quantity: 1 }] }),
    deps(),
  );
  assert.equal(conflict.statusCode, 409);
});

test("DynamoDB's conditional put is what keeps the first write: a second putIfAbsent is refused", async () => {
  const orders = dynamoOrders(documents, 'orders');
  const existing = await orders.get('order-int-1');
  assert.ok(existing);
  assert.equal(await orders.putIfAbsent({ ...existing, amount: 1 }), false);
  assert.equal((await orders.get('order-int-1'))?.amount, 2400);
});

test('an unknown customer (404 from the private API) is a 400 and nothing is written', async () => {
  const result = await routeOrderRequest(
    post({ ...order, orderId: 'order-int-2', customerId: 'cust-nobody' }),
    deps(),
  );
  assert.equal(result.statusCode, 400);
  const stored = await documents.send(
    new GetCommand({ TableName: 'orders', Key: { orderId: 'order-int-2' } }),
  );
  assert.equal(stored.Item, undefined);
});

test('with the wrong signing key the private API refuses (403) and the order fails with 502', async () => {
  const wrongKey = {
    ...deps(),
    internalApi: signedInternalApi({
      baseUrl: apiUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDORDER', secretAccessKey: 'not-the-key' },
    }),
  };
  const result = await routeOrderRequest(post({ ...order, orderId: 'order-int-3' }), wrongKey);
  assert.equal(result.statusCode, 502);
});
