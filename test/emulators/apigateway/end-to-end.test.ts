// A Lambda handler calls a private API with plain fetch(); the worker's fetch redirect sends it to
// a loopback "gateway" (here: just enough HTTP to hand the request to the API Gateway emulator),
// which routes it and invokes the integration Lambda in another worker.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ApiGatewayEmulator } from '../../../src/emulators/apigateway/index.ts';
import type { RestApiDef } from '../../../src/emulators/apigateway/index.ts';
import { LambdaRuntime } from '../../../src/emulators/lambda/index.ts';
import type { LambdaFunctionDef } from '../../../src/emulators/lambda/index.ts';
import type { ServiceRequest } from '../../../src/emulators/plugin.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/lambda/', import.meta.url));
const ACCOUNT = '111122223333';
const CATALOG_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:catalog`;

const api: RestApiDef = {
  logicalId: 'InternalApi',
  id: 'p7q8r9s0t1',
  name: 'internal',
  endpointType: 'PRIVATE',
  vpcEndpointIds: ['vpce-0aaa'],
  stages: ['prod'],
  resources: [
    {
      id: 'r1',
      path: '/products/{id}',
      methods: [
        {
          httpMethod: 'ANY',
          authorizationType: 'NONE',
          apiKeyRequired: false,
          integration: { type: 'AWS_PROXY', functionArn: CATALOG_ARN },
        },
      ],
    },
  ],
};

function fn(name: string, overrides: Partial<LambdaFunctionDef>): LambdaFunctionDef {
  return {
    logicalId: name,
    functionName: name,
    arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`,
    codeDir: `${fixtures}esm`,
    handler: 'index.handler',
    runtime: 'nodejs20.x',
    memoryMb: 128,
    timeoutSec: 5,
    env: {},
    ...overrides,
  };
}

describe('fetch from a Lambda to a private API, end to end', () => {
  const stops: Array<() => Promise<unknown>> = [];
  after(async () => {
    for (const stop of stops) await stop();
  });

  it('routes by the original host and runs the integration', async () => {
    const backend = new LambdaRuntime([
      fn('catalog', { codeDir: `${fixtures}apigw`, env: { GREETING: 'from-catalog' } }),
    ]);
    stops.push(() => backend.stop());
    const apis = new ApiGatewayEmulator([api], backend);
    await apis.start({ dataDir: '/x', region: 'us-east-1', accountId: ACCOUNT });

    const seenHosts: string[] = [];
    const gateway = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
        );
        seenHosts.push(headers['x-securecart-host'] ?? '');
        const request: ServiceRequest = {
          method: req.method ?? 'GET',
          url: new URL(req.url ?? '/', `http://${headers.host}`),
          headers,
          body: Buffer.concat(chunks),
        };
        void apis.handle(request, { principalArn: 'anonymous', accountId: '' }).then((response) => {
          res.writeHead(response.status, response.headers);
          res.end(response.body as Buffer);
        });
      });
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => gateway.close(resolve)));
    const entry = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;

    const workloads = new LambdaRuntime([fn('orders', { handler: 'index.fetchText', endpointUrl: entry })]);
    stops.push(() => workloads.stop());
    const result = await workloads.invoke('orders', {
      url: `https://${api.id}.execute-api.us-east-1.amazonaws.com/prod/products/sku-9?x=42`,
      method: 'POST',
      body: 'order',
    });
    assert.deepEqual(result, {
      ok: true,
      payload: {
        status: 200,
        type: 'text/plain',
        text: 'from-catalog POST /products/{id} sku-9 x=42 body=order',
      },
    });
    assert.deepEqual(seenHosts, [`${api.id}.execute-api.us-east-1.amazonaws.com`]);

    const missing = await workloads.invoke('orders', {
      url: `https://${api.id}.execute-api.us-east-1.amazonaws.com/prod/nothing`,
    });
    assert.deepEqual(missing, {
      ok: true,
      payload: { status: 403, type: 'application/json', text: '{"message":"Missing Authentication Token"}' },
    });
  });
});
