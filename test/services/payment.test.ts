import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  AUTHORIZATION_LIMIT_CENTS,
  authorizePayment,
  canonicalAuthorization,
  validatePaymentRequest,
  verifyAuthorization,
} from '../../services/payment/authorize.ts';
import { routePaymentRequest } from '../../services/payment/routes.ts';
import { cachedSecretString } from '../../services/shared/secret.ts';

const key = 'provider-key-0123456789abcdef';
const request = { orderId: 'order-1', customerId: 'cust-1', amount: 4900, currency: 'USD' };

describe('validatePaymentRequest', () => {
  const cases: [string, unknown, RegExp | null][] = [
    ['valid', request, null],
    ['not an object', 'x', /JSON object/],
    ['bad orderId', { ...request, orderId: '' }, /orderId/],
    ['bad customerId', { ...request, customerId: 'a b' }, /customerId/],
    ['amount zero', { ...request, amount: 0 }, /amount/],
    ['amount negative', { ...request, amount: -5 }, /amount/],
    ['amount fractional', { ...request, amount: 10.5 }, /amount/],
    ['amount as string', { ...request, amount: '4900' }, /amount/],
    ['amount unsafe', { ...request, amount: 2 ** 60 }, /amount/],
    ['currency lowercase', { ...request, currency: 'usd' }, /currency/],
    ['currency missing', { ...request, currency: undefined }, /currency/],
  ];
  for (const [name, body, error] of cases) {
    test(name, () => {
      const result = validatePaymentRequest(body);
      if (!error) assert.deepEqual(result, { ok: true, value: request });
      else {
        assert.equal(result.ok, false);
        assert.match((result as { message: string }).message, error);
      }
    });
  }
});

describe('authorizePayment', () => {
  test('the signature is HMAC-SHA256 over the canonical authorization with the provider key', () => {
    const auth = authorizePayment(request, key);
    assert.equal(auth.status, 'AUTHORIZED');
    assert.match(auth.authorizationId, /^auth_[0-9a-f]{24}$/);
    const canonical = [auth.authorizationId, 'order-1', 'cust-1', 4900, 'USD', 'AUTHORIZED'].join('\n');
    assert.equal(canonicalAuthorization(auth), canonical);
    assert.equal(auth.signature, createHmac('sha256', key).update(canonical).digest('hex'));
    assert.equal(verifyAuthorization(auth, key), true);
  });

  test('the same request gets the same authorization id (safe retries); a different one does not', () => {
    assert.equal(
      authorizePayment(request, key).authorizationId,
      authorizePayment({ ...request }, key).authorizationId,
    );
    assert.notEqual(
      authorizePayment(request, key).authorizationId,
      authorizePayment({ ...request, amount: 4901 }, key).authorizationId,
    );
    assert.notEqual(
      authorizePayment(request, key).authorizationId,
      authorizePayment(request, 'other-key').authorizationId,
    );
  });

  test('verification fails for any tampered field or another key', () => {
    const auth = authorizePayment(request, key);
    assert.equal(verifyAuthorization({ ...auth, amount: 1 }, key), false);
    assert.equal(verifyAuthorization({ ...auth, status: 'DECLINED' }, key), false);
    assert.equal(verifyAuthorization({ ...auth, signature: 'zz' }, key), false);
    assert.equal(verifyAuthorization(auth, 'other-key'), false);
  });

  test(`amounts above ${AUTHORIZATION_LIMIT_CENTS} cents are declined, at the limit authorized`, () => {
    assert.equal(
      authorizePayment({ ...request, amount: AUTHORIZATION_LIMIT_CENTS }, key).status,
      'AUTHORIZED',
    );
    assert.equal(
      authorizePayment({ ...request, amount: AUTHORIZATION_LIMIT_CENTS + 1 }, key).status,
      'DECLINED',
    );
  });
});

describe('POST /payments', () => {
  const event = (body: unknown, overrides: Record<string, unknown> = {}) => ({
    httpMethod: 'POST',
    resource: '/payments',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
    ...overrides,
  });
  const deps = (lines: string[] = []) => ({
    providerKey: async () => key,
    log: (line: string) => lines.push(line),
  });

  test('200 with {authorizationId, status, signature}, and a log record without the signature', async () => {
    const lines: string[] = [];
    const result = await routePaymentRequest(event(request), deps(lines));
    assert.equal(result.statusCode, 200);
    const body = JSON.parse(result.body) as Record<string, unknown>;
    assert.deepEqual(body, { ...authorizePayment(request, key) });
    assert.equal(lines.length, 1);
    const record = JSON.parse(lines[0]) as Record<string, unknown>;
    assert.equal(record.authorizationId, body.authorizationId);
    assert.equal(record.signature, undefined);
  });

  test('402 when declined', async () => {
    const result = await routePaymentRequest(
      event({ ...request, amount: AUTHORIZATION_LIMIT_CENTS + 1 }),
      deps(),
    );
    assert.equal(result.statusCode, 402);
    assert.equal((JSON.parse(result.body) as { status: string }).status, 'DECLINED');
  });

  test('400 for invalid JSON or an invalid request; 405 for GET; 404 elsewhere', async () => {
    assert.equal((await routePaymentRequest(event('{'), deps())).statusCode, 400);
    assert.equal((await routePaymentRequest(event({ ...request, amount: 0 }), deps())).statusCode, 400);
    assert.equal((await routePaymentRequest(event(request, { httpMethod: 'GET' }), deps())).statusCode, 405);
    assert.equal(
      (await routePaymentRequest(event(request, { resource: '/refunds' }), deps())).statusCode,
      404,
    );
  });
});

describe('cachedSecretString', () => {
  test('reads the secret once per warm environment', async () => {
    const inputs: unknown[] = [];
    const client = {
      send: async (command: { input: unknown }) => (inputs.push(command.input), { SecretString: 's3cr3t' }),
    };
    const read = cachedSecretString(
      client as never,
      'arn:aws:secretsmanager:us-east-1:111122223333:secret:k',
    );
    assert.equal(await read(), 's3cr3t');
    assert.equal(await read(), 's3cr3t');
    assert.deepEqual(inputs, [{ SecretId: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:k' }]);
  });

  test('a failed read is not cached: the next call retries', async () => {
    let attempts = 0;
    const client = {
      send: async () => {
        attempts += 1;
        if (attempts === 1) throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
        return { SecretString: 'ok' };
      },
    };
    const read = cachedSecretString(client as never, 'k');
    await assert.rejects(read(), /denied/);
    assert.equal(await read(), 'ok');
    assert.equal(attempts, 2);
  });

  test('a secret without SecretString is an error', async () => {
    const read = cachedSecretString(
      { send: async () => ({ SecretBinary: new Uint8Array(1) }) } as never,
      'k',
    );
    await assert.rejects(read(), /has no SecretString/);
  });
});
