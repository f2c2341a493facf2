/**
 * The Lambda Invoke API plugin on its own, with a stub runtime: how a request is classified (name,
 * ARN, partial ARN, qualifier) and how each refusal and answer looks on the wire.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ASYNC_PAYLOAD_LIMIT,
  LambdaApiEmulator,
  logTail,
  SYNC_PAYLOAD_LIMIT,
} from '../../src/emulators/lambda-api/plugin.ts';
import type { ServiceRequest } from '../../src/emulators/plugin.ts';
import type { InvokeResult } from '../../src/emulators/lambda/types.ts';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:orders';
const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [] });

function emulator(result: InvokeResult = { ok: true, payload: { done: true } }) {
  const calls: Array<{ arn: string; event: unknown }> = [];
  const plugin = new LambdaApiEmulator({
    functions: [{ name: 'orders', arn: ARN }],
    invoker: {
      invoke: async (arn, event) => {
        calls.push({ arn, event });
        return result;
      },
      logOf: () => 'START RequestId: x\nhello\nEND RequestId: x\n',
    },
    policyOf: (arn) => (arn === ARN ? POLICY : undefined),
  });
  return { plugin, calls };
}

function invokeRequest(
  functionName: string,
  options: { query?: string; headers?: Record<string, string>; body?: Buffer | string; method?: string } = {},
): ServiceRequest {
  const path = `/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations${options.query ?? ''}`;
  return {
    method: options.method ?? 'POST',
    url: new URL(`http://127.0.0.1:4566${path}`),
    headers: { 'content-type': 'application/json', ...options.headers },
    body: typeof options.body === 'string' ? Buffer.from(options.body) : (options.body ?? Buffer.from('{}')),
  };
}

const CALLER = { principalArn: 'arn:aws:sts::123456789012:assumed-role/r/s', accountId: '123456789012' };
const bodyOf = (body: unknown) => JSON.parse((body as Buffer).toString('utf8')) as Record<string, unknown>;

describe('classify: lambda:InvokeFunction on the function ARN, with its policy', () => {
  const rows: Array<{ name: string; fn: string; query?: string; resource: string; known: boolean }> = [
    { name: 'a name', fn: 'orders', resource: ARN, known: true },
    { name: 'the ARN', fn: ARN, resource: ARN, known: true },
    { name: 'a partial ARN', fn: '123456789012:function:orders', resource: ARN, known: true },
    { name: 'name:$LATEST', fn: 'orders:$LATEST', resource: `${ARN}:$LATEST`, known: true },
    { name: 'ARN:alias', fn: `${ARN}:live`, resource: `${ARN}:live`, known: true },
    {
      name: 'the Qualifier parameter',
      fn: 'orders',
      query: '?Qualifier=7',
      resource: `${ARN}:7`,
      known: true,
    },
    {
      name: 'an unknown name',
      fn: 'nope',
      resource: 'arn:aws:lambda:us-east-1:123456789012:function:nope',
      known: false,
    },
    {
      name: 'a function of another account',
      fn: 'arn:aws:lambda:us-east-1:999999999999:function:orders',
      resource: 'arn:aws:lambda:us-east-1:999999999999:function:orders',
      known: false,
    },
  ];
  for (const row of rows) {
    it(`names the function by ${row.name}`, () => {
      const { plugin } = emulator();
      const c = plugin.classify(invokeRequest(row.fn, { query: row.query }));
      assert.equal(c.service, 'lambda');
      assert.equal(c.operation, 'Invoke');
      assert.deepEqual(c.checks, [{ action: 'lambda:InvokeFunction', resource: row.resource }]);
      assert.deepEqual(c.policyArns, row.known ? [ARN] : []);
      assert.equal(c.resourceOwner, row.known ? 'function' : undefined);
    });
  }

  it('hands out the function policy for its ARN only', () => {
    const { plugin } = emulator();
    assert.equal(plugin.resourcePolicy(ARN), POLICY);
    assert.equal(plugin.resourcePolicy(`${ARN}x`), undefined);
  });

  it('any other Lambda API request is Unknown with nothing to authorize, and answered 501', async () => {
    const { plugin } = emulator();
    const req: ServiceRequest = {
      method: 'GET',
      url: new URL('http://127.0.0.1/2015-03-31/functions/orders'),
      headers: {},
      body: Buffer.alloc(0),
    };
    assert.equal(plugin.classify(req).operation, 'Unknown');
    assert.deepEqual(plugin.classify(req).checks, []);
    const response = await plugin.handle(req, CALLER);
    assert.equal(response.status, 501);
    assert.equal(response.headers['x-amzn-errortype'], 'NotImplemented');
  });
});

describe('handle: invocation types', () => {
  it('RequestResponse: 200, the payload, X-Amz-Executed-Version $LATEST; the event is the body', async () => {
    const { plugin, calls } = emulator();
    const response = await plugin.handle(invokeRequest('orders', { body: '{"a":1}' }), CALLER);
    assert.equal(response.status, 200);
    assert.deepEqual(bodyOf(response.body), { done: true });
    assert.equal(response.headers['x-amz-executed-version'], '$LATEST');
    assert.equal(response.headers['x-amz-function-error'], undefined);
    assert.deepEqual(calls, [{ arn: ARN, event: { a: 1 } }]);
  });

  it('a function error: 200, X-Amz-Function-Error Unhandled, the error document', async () => {
    const { plugin } = emulator({
      ok: false,
      error: { errorType: 'Error', errorMessage: 'boom', trace: [] },
    });
    const response = await plugin.handle(invokeRequest('orders'), CALLER);
    assert.equal(response.status, 200);
    assert.equal(response.headers['x-amz-function-error'], 'Unhandled');
    assert.deepEqual(bodyOf(response.body), { errorType: 'Error', errorMessage: 'boom', trace: [] });
  });

  it('Event: 202 with an empty body; DryRun: 204 and no run', async () => {
    const { plugin, calls } = emulator();
    const event = await plugin.handle(
      invokeRequest('orders', { headers: { 'x-amz-invocation-type': 'Event' } }),
      CALLER,
    );
    assert.equal(event.status, 202);
    assert.equal((event.body as Buffer).length, 0);
    const dry = await plugin.handle(
      invokeRequest('orders', { headers: { 'x-amz-invocation-type': 'DryRun' } }),
      CALLER,
    );
    assert.equal(dry.status, 204);
    assert.equal(calls.length, 1, 'Event ran, DryRun did not');
  });

  it('X-Amz-Log-Type Tail: X-Amz-Log-Result is the base64 of the log the runtime gives', async () => {
    const { plugin } = emulator();
    const response = await plugin.handle(
      invokeRequest('orders', { headers: { 'x-amz-log-type': 'Tail' } }),
      CALLER,
    );
    assert.equal(
      Buffer.from(response.headers['x-amz-log-result'] ?? '', 'base64').toString('utf8'),
      'START RequestId: x\nhello\nEND RequestId: x\n',
    );
    const none = await plugin.handle(invokeRequest('orders'), CALLER);
    assert.equal(none.headers['x-amz-log-result'], undefined);
  });

  it('the log tail keeps the last 4 KB', () => {
    const log = 'a'.repeat(5000) + 'END';
    const tail = Buffer.from(logTail(log), 'base64');
    assert.equal(tail.length, 4096);
    assert.ok(tail.toString().endsWith('END'));
  });
});

describe('handle: errors in Lambda REST-JSON shape', () => {
  const big = (n: number) => Buffer.from(`"${'x'.repeat(n - 2)}"`);
  const rows: Array<{
    name: string;
    req: () => ServiceRequest;
    status: number;
    code: string;
    message: RegExp;
    messageKey: 'Message' | 'message';
  }> = [
    {
      name: 'an unknown function',
      req: () => invokeRequest('nope'),
      status: 404,
      code: 'ResourceNotFoundException',
      message: /^Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope$/,
      messageKey: 'Message',
    },
    {
      name: 'a version the twin does not have',
      req: () => invokeRequest('orders:3'),
      status: 404,
      code: 'ResourceNotFoundException',
      message: new RegExp(`^Function not found: ${ARN}:3$`),
      messageKey: 'Message',
    },
    {
      name: 'a synchronous payload over 6 MB',
      req: () => invokeRequest('orders', { body: big(SYNC_PAYLOAD_LIMIT + 1) }),
      status: 413,
      code: 'RequestEntityTooLargeException',
      message: /^Request must be smaller than 6291456 bytes for the InvokeFunction operation$/,
      messageKey: 'message',
    },
    {
      name: 'an Event payload over 1 MB',
      req: () =>
        invokeRequest('orders', {
          body: big(ASYNC_PAYLOAD_LIMIT + 1),
          headers: { 'x-amz-invocation-type': 'Event' },
        }),
      status: 413,
      code: 'RequestEntityTooLargeException',
      message: /^1048577 byte payload is too large for the Event invocation type \(limit 1048576 bytes\)$/,
      messageKey: 'message',
    },
    {
      name: 'a payload that is not JSON',
      req: () => invokeRequest('orders', { body: 'not json' }),
      status: 400,
      code: 'InvalidRequestContentException',
      message: /^Could not parse request body into json/,
      messageKey: 'message',
    },
  ];
  for (const row of rows) {
    it(`${row.name}: ${row.status} ${row.code}`, async () => {
      const { plugin, calls } = emulator();
      const response = await plugin.handle(row.req(), CALLER);
      assert.equal(response.status, row.status);
      assert.equal(response.headers['x-amzn-errortype'], row.code);
      const body = bodyOf(response.body);
      assert.equal(body.Type, 'User');
      assert.match(String(body[row.messageKey]), row.message);
      assert.equal(calls.length, 0);
    });
  }

  it('a 6 MB synchronous payload is still accepted', async () => {
    const { plugin } = emulator();
    const response = await plugin.handle(invokeRequest('orders', { body: big(SYNC_PAYLOAD_LIMIT) }), CALLER);
    assert.equal(response.status, 200);
  });

  it('a gateway denial: 403 AccessDeniedException with {"Message"}', () => {
    const { plugin } = emulator();
    const response = plugin.deny('AccessDenied', 'User: x is not authorized', invokeRequest('orders'));
    assert.equal(response.status, 403);
    assert.equal(response.headers['x-amzn-errortype'], 'AccessDeniedException');
    assert.deepEqual(bodyOf(response.body), { Message: 'User: x is not authorized' });
  });

  it('a bad signature: 403 InvalidSignatureException', () => {
    const { plugin } = emulator();
    const response = plugin.deny('SignatureDoesNotMatch', 'bad', invokeRequest('orders'));
    assert.equal(response.status, 403);
    assert.equal(response.headers['x-amzn-errortype'], 'InvalidSignatureException');
  });
});
