import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { LambdaRuntime } from '../../../src/emulators/lambda/index.ts';
import type { InvokeResult, LambdaFunctionDef } from '../../../src/emulators/lambda/index.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/lambda/', import.meta.url));

function def(name: string, overrides: Partial<LambdaFunctionDef> = {}): LambdaFunctionDef {
  return {
    logicalId: `${name}Fn`,
    functionName: name,
    arn: `arn:aws:lambda:us-east-1:111122223333:function:${name}`,
    codeDir: `${fixtures}esm`,
    handler: 'index.handler',
    runtime: 'nodejs20.x',
    memoryMb: 128,
    timeoutSec: 3,
    env: {},
    ...overrides,
  };
}

function payloadOf(result: InvokeResult): Record<string, unknown> {
  assert.equal(result.ok, true, JSON.stringify(result));
  return (result as { payload: Record<string, unknown> }).payload;
}

function errorOf(result: InvokeResult) {
  assert.equal(result.ok, false, JSON.stringify(result));
  return (result as Extract<InvokeResult, { ok: false }>).error;
}

interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A loopback HTTP server that records requests and answers with `reply`. */
async function recordingServer(reply: (req: Recorded) => { status: number; type: string; body: string }) {
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      requests.push(recorded);
      const answer = reply(recorded);
      res.writeHead(answer.status, { 'content-type': answer.type });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('LambdaRuntime', () => {
  const runtimes: LambdaRuntime[] = [];
  const start = (defs: LambdaFunctionDef[], maxConcurrencyPerFunction?: number) => {
    const runtime = new LambdaRuntime(defs, { maxConcurrencyPerFunction });
    runtimes.push(runtime);
    return runtime;
  };
  after(async () => Promise.all(runtimes.map((r) => r.stop())));

  it('gives each function its own environment, never the parent process.env', async () => {
    process.env.TABLE_NAME = 'parent-table-must-not-leak';
    const runtime = start([
      def('fnA', {
        env: { TABLE_NAME: 'orders-a' },
        memoryMb: 256,
        credentials: { accessKeyId: 'ASIAFUNCTIONA', secretAccessKey: 'secret-a', sessionToken: 'token-a' },
      }),
      def('fnB', { env: { TABLE_NAME: 'orders-b', ONLY_IN_B: 'yes' } }),
    ]);
    const [a, b] = await Promise.all([runtime.invoke('fnA', {}), runtime.invoke('fnB', {})]);
    delete process.env.TABLE_NAME;
    const envA = payloadOf(a).env as Record<string, unknown>;
    const envB = payloadOf(b).env as Record<string, unknown>;
    assert.deepEqual(envA, {
      TABLE_NAME: 'orders-a',
      ONLY_IN_B: null,
      AWS_LAMBDA_FUNCTION_NAME: 'fnA',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'ASIAFUNCTIONA',
      LAMBDA_TASK_ROOT: `${fixtures}esm`,
      _HANDLER: 'index.handler',
      HOME: null,
    });
    assert.equal(envB.TABLE_NAME, 'orders-b');
    assert.equal(envB.ONLY_IN_B, 'yes');
    assert.equal(envB.AWS_ACCESS_KEY_ID, null);
  });

  it('runs module init once per worker and reuses it for warm invocations', async () => {
    const runtime = start([def('warm')]);
    const first = payloadOf(await runtime.invoke('warm', { n: 1 }, { requestId: 'req-1' }));
    const second = payloadOf(await runtime.invoke('warm', { n: 2 }, { requestId: 'req-2' }));
    assert.equal(first.initId, second.initId);
    assert.equal(first.invocations, 1);
    assert.equal(second.invocations, 2);
    assert.equal(second.requestId, 'req-2');
    assert.deepEqual(second.echo, { n: 2 });
    assert.ok((second.remainingMs as number) > 2000 && (second.remainingMs as number) <= 3000);
    assert.equal(runtime.coldStarts('warm'), 1);
  });

  it('grows the pool under concurrency up to the limit, then queues', async () => {
    const runtime = start([def('busy', { handler: 'index.sleep' })], 2);
    const results = await Promise.all([1, 2, 3, 4].map(() => runtime.invoke('busy', { ms: 150 })));
    const inits = new Set(results.map((r) => payloadOf(r).initId));
    assert.equal(inits.size, 2);
    assert.equal(runtime.coldStarts('busy'), 2);
  });

  it('times out as Lambda does, then serves the next invocation from a fresh worker', async () => {
    const runtime = start([def('slow', { handler: 'index.spin', timeoutSec: 1 })]);
    const began = Date.now();
    const error = errorOf(await runtime.invoke('slow', {}, { requestId: 'req-timeout' }));
    const took = Date.now() - began;
    assert.equal(error.errorType, 'Sandbox.Timedout');
    assert.match(error.errorMessage, /^\S+Z req-timeout Task timed out after 1\.00 seconds$/);
    assert.ok(took >= 1000 && took < 2500, `took ${took} ms`);
    const again = errorOf(await runtime.invoke('slow', {}));
    assert.equal(again.errorType, 'Sandbox.Timedout');
    assert.equal(runtime.coldStarts('slow'), 2);
  });

  it('returns a thrown error in Lambda shape and keeps the worker warm', async () => {
    const runtime = start([def('failing', { handler: 'index.fail' })]);
    const error = errorOf(await runtime.invoke('failing', { card: '4242' }));
    assert.equal(error.errorType, 'PaymentDeclined');
    assert.equal(error.errorMessage, 'card 4242 declined');
    assert.ok(error.trace && error.trace[0] === 'PaymentDeclined: card 4242 declined', String(error.trace));
    errorOf(await runtime.invoke('failing', { card: '1' }));
    assert.equal(runtime.coldStarts('failing'), 1);
  });

  it('reports an uncaught exception and replaces the crashed worker', async () => {
    const runtime = start([def('crashy', { handler: 'index.crash' })]);
    const error = errorOf(await runtime.invoke('crashy', {}));
    assert.equal(error.errorType, 'Error');
    assert.equal(error.errorMessage, 'escaped the handler');
    errorOf(await runtime.invoke('crashy', {}));
    assert.equal(runtime.coldStarts('crashy'), 2);
  });

  it('ends a worker that outgrows MemorySize with Runtime.OutOfMemory', async () => {
    const runtime = start([def('hog', { handler: 'index.hog', memoryMb: 32, timeoutSec: 20 })]);
    const error = errorOf(await runtime.invoke('hog', {}));
    assert.equal(error.errorType, 'Runtime.OutOfMemory');
    assert.equal(runtime.coldStarts('hog'), 1);
  });

  it('does not hand out an idle worker that died after its invocation', async () => {
    const runtime = start([def('stray', { handler: 'index.strayTimer' })]);
    const first = payloadOf(await runtime.invoke('stray', {}));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = payloadOf(await runtime.invoke('stray', {}));
    assert.notEqual(second.initId, first.initId);
    assert.equal(runtime.coldStarts('stray'), 2);
  });

  const initFailures: Array<[string, string, string]> = [
    ['index.nothere', 'Runtime.HandlerNotFound', 'index.nothere is undefined or not exported'],
    ['missing.handler', 'Runtime.ImportModuleError', "Error: Cannot find module 'missing'"],
    ['nodot', 'Runtime.MalformedHandlerName', 'Bad handler nodot'],
  ];
  for (const [handler, errorType, errorMessage] of initFailures) {
    it(`reports init failure for handler ${handler} as ${errorType}`, async () => {
      const runtime = start([def('broken', { handler })]);
      const error = errorOf(await runtime.invoke('broken', {}));
      assert.equal(error.errorType, errorType);
      assert.equal(error.errorMessage, errorMessage);
    });
  }

  it('runs CommonJS handlers: callback style, nested export path, non-Error throw', async () => {
    const cjs = { codeDir: `${fixtures}cjs` };
    const runtime = start([
      def('cb', { ...cjs, handler: 'app.handler' }),
      def('nested', { ...cjs, handler: 'app.nested.handler' }),
      def('str', { ...cjs, handler: 'app.rejectWithString' }),
    ]);
    payloadOf(await runtime.invoke('cb', {}));
    assert.deepEqual(payloadOf(await runtime.invoke('cb', {})), {
      style: 'callback',
      invocations: 2,
      name: 'cb',
    });
    assert.deepEqual(payloadOf(await runtime.invoke('nested', { a: 2, b: 3 })), { style: 'nested', sum: 5 });
    assert.deepEqual(errorOf(await runtime.invoke('str', {})), {
      errorType: 'string',
      errorMessage: 'plain string',
      trace: [],
    });
  });

  it('sends fetch() calls to *.amazonaws.com to the workload entry, with the original host', async () => {
    const entry = await recordingServer(() => ({
      status: 201,
      type: 'application/json',
      body: '{"seen":true}',
    }));
    try {
      const runtime = start([def('caller', { handler: 'index.fetchAws', endpointUrl: entry.url })]);
      const url = 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/orders?id=7';
      assert.deepEqual(payloadOf(await runtime.invoke('caller', { url })), {
        status: 201,
        body: { seen: true },
      });
      assert.equal(entry.requests.length, 1);
      const [seen] = entry.requests;
      assert.equal(seen.method, 'POST');
      assert.equal(seen.url, '/prod/orders?id=7');
      assert.equal(seen.headers['x-securecart-host'], 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com');
      assert.equal(seen.headers['x-custom'], 'kept');
      assert.equal(seen.body, '{"order":42}');
      // Not an AWS host: untouched (it goes straight to the loopback server it names).
      const direct = await runtime.invoke('caller', { url: `${entry.url}/direct` });
      assert.equal(payloadOf(direct).status, 201);
      assert.equal(entry.requests[1].url, '/direct');
      assert.equal(entry.requests[1].headers['x-securecart-host'], undefined);
    } finally {
      await entry.close();
    }
  });

  it('runs a handler using the real SDK v3 client against AWS_ENDPOINT_URL', async () => {
    const entry = await recordingServer((req) => {
      const { SecretId } = JSON.parse(req.body) as { SecretId: string };
      return {
        status: 200,
        type: 'application/x-amz-json-1.1',
        body: JSON.stringify({ Name: SecretId, SecretString: 'p4ss', ARN: 'arn:x', VersionId: 'v1' }),
      };
    });
    try {
      const runtime = start([
        def('sdk', {
          codeDir: `${fixtures}sdk`,
          endpointUrl: entry.url,
          region: 'eu-west-1',
          credentials: { accessKeyId: 'ASIAWORKLOAD', secretAccessKey: 's', sessionToken: 'session-token' },
        }),
      ]);
      const result = payloadOf(await runtime.invoke('sdk', { secretId: 'payment/api-key' }));
      assert.deepEqual(result, { name: 'payment/api-key', value: 'p4ss' });
      const [seen] = entry.requests;
      assert.equal(seen.headers['x-amz-target'], 'secretsmanager.GetSecretValue');
      assert.match(
        String(seen.headers.authorization),
        /Credential=ASIAWORKLOAD\/\d{8}\/eu-west-1\/secretsmanager\//,
      );
      assert.equal(seen.headers['x-amz-security-token'], 'session-token');
    } finally {
      await entry.close();
    }
  });

  it('logs in Lambda format, with START/END/REPORT, to the log sink', async () => {
    const lines: string[] = [];
    const runtime = new LambdaRuntime([def('logs', { handler: 'index.logger' })], {
      onLog: (fn, line) => lines.push(`${fn}|${line}`),
    });
    runtimes.push(runtime);
    // Invocable by qualified ARN too.
    const arn = 'arn:aws:lambda:us-east-1:111122223333:function:logs:$LATEST';
    assert.equal(
      payloadOf(await runtime.invoke(arn, { orderId: 'o-7' }, { requestId: 'req-log' })),
      'logged',
    );
    await new Promise((resolve) => setTimeout(resolve, 50)); // worker stdout is asynchronous
    assert.equal(lines[0], 'logs|START RequestId: req-log Version: $LATEST');
    assert.ok(
      lines.some((l) => /^logs\|\S+Z\treq-log\tINFO\torder o-7 placed$/.test(l)),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => /^logs\|\S+Z\treq-log\tERROR\ttwo\rlines$/.test(l)),
      lines.join('\n'),
    );
    assert.ok(lines.includes('logs|END RequestId: req-log'));
    const report = lines.find((l) => l.startsWith('logs|REPORT RequestId: req-log\t'));
    assert.match(
      report ?? '',
      /\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tInit Duration: [\d.]+ ms$/,
    );
  });

  it('refuses non-Node.js runtimes at construction', () => {
    assert.throws(() => new LambdaRuntime([def('py', { runtime: 'python3.12' })]), /python3\.12 cannot run/);
  });
});
