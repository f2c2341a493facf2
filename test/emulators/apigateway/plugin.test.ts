import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import {
  ApiGatewayEmulator,
  accessDeniedMessage,
  invokeUrl,
  localInvokeUrl,
} from '../../../src/emulators/apigateway/index.ts';
import type { ExecuteApiCaller, LambdaInvoker, RestApiDef } from '../../../src/emulators/apigateway/index.ts';
import type { ServiceRequest, ServiceResponse } from '../../../src/emulators/plugin.ts';
import type { InvokeResult } from '../../../src/emulators/lambda/index.ts';
import { LambdaRuntime } from '../../../src/emulators/lambda/index.ts';

const REGION = 'eu-west-1';
const ACCOUNT = '111122223333';
const FN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:catalog`;
const INTEGRATION_URI = `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${FN}/invocations`;

const api: RestApiDef = {
  logicalId: 'OrdersApi',
  id: 'a1b2c3d4e5',
  name: 'orders',
  endpointType: 'PRIVATE',
  vpcEndpointIds: ['vpce-0123456789abcdef0'],
  policy: {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
    ],
  },
  stages: ['prod'],
  stageVariables: { prod: { tier: 'gold' } },
  binaryMediaTypes: ['image/*'],
  resources: [
    {
      id: 'res123',
      path: '/products/{id}',
      methods: [
        {
          httpMethod: 'GET',
          authorizationType: 'AWS_IAM',
          apiKeyRequired: false,
          integration: { type: 'AWS_PROXY', functionArn: INTEGRATION_URI },
        },
        {
          httpMethod: 'PUT',
          authorizationType: 'NONE',
          apiKeyRequired: false,
          integration: { type: 'AWS_PROXY', functionArn: FN },
        },
      ],
    },
    {
      id: 'res456',
      path: '/health',
      methods: [
        {
          httpMethod: 'GET',
          authorizationType: 'NONE',
          apiKeyRequired: false,
          integration: { type: 'MOCK', mockResponse: { statusCode: 204, headers: { 'x-mock': 'yes' } } },
        },
      ],
    },
  ],
};

const publicApi: RestApiDef = {
  ...api,
  logicalId: 'StoreApi',
  id: 'zz9yy8xx7w',
  endpointType: 'REGIONAL',
  policy: undefined,
};

function request(
  method: string,
  host: string,
  path: string,
  headers: Record<string, string> = {},
  body = '',
): ServiceRequest {
  return {
    method,
    url: new URL(`http://${host}${path}`),
    headers: { host, ...headers },
    body: Buffer.from(body),
  };
}

/** A Lambda stand-in: records events, answers with `next`. */
class FakeLambda implements LambdaInvoker {
  events: Array<{ fn: string; event: APIGatewayProxyEvent }> = [];
  next: InvokeResult = { ok: true, payload: { statusCode: 200, body: 'ok' } };
  async invoke(fn: string, event: unknown): Promise<InvokeResult> {
    this.events.push({ fn, event: event as APIGatewayProxyEvent });
    return this.next;
  }
}

async function started(lambda: LambdaInvoker) {
  const emulator = new ApiGatewayEmulator([api, publicApi], lambda);
  await emulator.start({ dataDir: '/nonexistent', region: REGION, accountId: ACCOUNT });
  return emulator;
}

function bodyOf(response: ServiceResponse): Buffer {
  assert.ok(!(response.body instanceof Readable));
  return response.body as Buffer;
}

function json(response: ServiceResponse): unknown {
  return JSON.parse(bodyOf(response).toString());
}

const caller: ExecuteApiCaller = {
  principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/OrderServiceRole/orders`,
  accountId: ACCOUNT,
  sourceIp: '10.0.3.17',
  vpceId: 'vpce-0123456789abcdef0',
  vpcId: 'vpc-0aaa',
  accessKeyId: 'ASIAORDERS',
  userId: 'AROAORDERS:orders',
};

describe('API Gateway emulator: classify', () => {
  const host = `${api.id}.execute-api.${REGION}.amazonaws.com`;
  // [description, request, expected outcome, expected resource ARN or undefined]
  const cases: Array<[string, ServiceRequest, string, string | undefined]> = [
    [
      'host form',
      request('GET', host, '/prod/products/42'),
      'ok',
      `arn:aws:execute-api:${REGION}:${ACCOUNT}:${api.id}/prod/GET/products/42`,
    ],
    [
      'LocalStack path form',
      request('get', '127.0.0.1:4566', `/restapis/${api.id}/prod/_user_request_/products/42`),
      'ok',
      `arn:aws:execute-api:${REGION}:${ACCOUNT}:${api.id}/prod/GET/products/42`,
    ],
    [
      'host carried in x-securecart-host (fetch redirect)',
      request('PUT', '127.0.0.1:40001', '/prod/products/7', { 'x-securecart-host': host }),
      'ok',
      `arn:aws:execute-api:${REGION}:${ACCOUNT}:${api.id}/prod/PUT/products/7`,
    ],
    [
      'endpoint-specific host with x-apigw-api-id',
      request(
        'GET',
        `vpce-0123456789abcdef0-abcd1234.execute-api.${REGION}.vpce.amazonaws.com`,
        '/prod/health',
        {
          'x-apigw-api-id': api.id,
        },
      ),
      'ok',
      `arn:aws:execute-api:${REGION}:${ACCOUNT}:${api.id}/prod/GET/health`,
    ],
    [
      'stage root',
      request('GET', host, '/prod'),
      'no-route',
      `arn:aws:execute-api:${REGION}:${ACCOUNT}:${api.id}/prod/GET/`,
    ],
    [
      'unknown stage',
      request('GET', host, '/beta/health'),
      'no-such-stage',
      `arn:aws:execute-api:${REGION}:${ACCOUNT}:${api.id}/beta/GET/health`,
    ],
    [
      'unknown API',
      request('GET', `qqqqqqqqqq.execute-api.${REGION}.amazonaws.com`, '/prod/x'),
      'no-such-api',
      undefined,
    ],
    ['not an execute-api host', request('GET', 's3.amazonaws.com', '/prod/x'), 'no-such-api', undefined],
  ];
  for (const [what, req, outcome, arn] of cases) {
    it(`${what} → ${outcome}`, async () => {
      const classified = (await started(new FakeLambda())).classify(req);
      assert.equal(classified.service, 'execute-api');
      assert.equal(classified.outcome, outcome);
      assert.deepEqual(classified.resources, arn ? [arn] : []);
      if (arn) assert.deepEqual(classified.checks, [{ action: 'execute-api:Invoke', resource: arn }]);
    });
  }

  it('tells the gateway the method auth type, whether the API is private, and where its policy is', async () => {
    const emulator = await started(new FakeLambda());
    const get = emulator.classify(request('GET', host, '/prod/products/1'));
    assert.equal(get.authorizationType, 'AWS_IAM');
    assert.deepEqual(get.api, {
      id: api.id,
      logicalId: 'OrdersApi',
      endpointType: 'PRIVATE',
      private: true,
      vpcEndpointIds: ['vpce-0123456789abcdef0'],
      hasPolicy: true,
    });
    assert.equal(emulator.classify(request('PUT', host, '/prod/products/1')).authorizationType, 'NONE');
    assert.deepEqual(get.policyArns, [`arn:aws:execute-api:${REGION}:${ACCOUNT}:${api.id}`]);
    const publicGet = emulator.classify(
      request('GET', `${publicApi.id}.execute-api.${REGION}.amazonaws.com`, '/prod/health'),
    );
    assert.equal(publicGet.api?.private, false);
    assert.deepEqual(publicGet.policyArns, []);
  });

  it('expands execute-api:/ shorthand in the resource policy to full ARNs', async () => {
    const emulator = await started(new FakeLambda());
    const policy = JSON.parse(
      emulator.resourcePolicy(`arn:aws:execute-api:${REGION}:${ACCOUNT}:${api.id}`) ?? 'null',
    );
    assert.equal(policy.Statement[0].Resource, `arn:aws:execute-api:${REGION}:${ACCOUNT}:${api.id}/*`);
    assert.equal(
      emulator.resourcePolicy(`arn:aws:execute-api:${REGION}:${ACCOUNT}:${publicApi.id}`),
      undefined,
    );
  });
});

describe('API Gateway emulator: handle', () => {
  const host = `${api.id}.execute-api.${REGION}.amazonaws.com`;

  it('builds the REST proxy event (payload 1.0) field for field', async () => {
    const lambda = new FakeLambda();
    const emulator = await started(lambda);
    const before = Date.now();
    await emulator.handle(
      request('GET', '127.0.0.1:40001', '/prod/products/42?color=red&color=blue&size=m', {
        'x-securecart-host': host,
        'user-agent': 'aws-sdk-js/3',
        accept: 'application/json',
      }),
      caller,
    );
    assert.equal(lambda.events.length, 1);
    const { fn, event } = lambda.events[0];
    assert.equal(fn, FN); // integration URI unwrapped to the function ARN
    const { requestContext, ...top } = event;
    assert.deepEqual(top, {
      resource: '/products/{id}',
      path: '/products/42',
      httpMethod: 'GET',
      headers: { host, 'user-agent': 'aws-sdk-js/3', accept: 'application/json' },
      multiValueHeaders: { host: [host], 'user-agent': ['aws-sdk-js/3'], accept: ['application/json'] },
      queryStringParameters: { color: 'blue', size: 'm' },
      multiValueQueryStringParameters: { color: ['red', 'blue'], size: ['m'] },
      pathParameters: { id: '42' },
      stageVariables: { tier: 'gold' },
      body: null,
      isBase64Encoded: false,
    });
    const { identity, requestTime, requestTimeEpoch, requestId, extendedRequestId, ...context } =
      requestContext;
    assert.deepEqual(context, {
      resourceId: 'res123',
      resourcePath: '/products/{id}',
      httpMethod: 'GET',
      path: '/prod/products/42',
      accountId: ACCOUNT,
      protocol: 'HTTP/1.1',
      stage: 'prod',
      domainPrefix: api.id,
      domainName: host,
      apiId: api.id,
      authorizer: null,
    });
    assert.match(requestTime ?? '', /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    assert.ok(requestTimeEpoch >= before && requestTimeEpoch <= Date.now());
    assert.match(requestId, /^[0-9a-f-]{36}$/);
    assert.ok(extendedRequestId);
    assert.deepEqual(identity, {
      cognitoIdentityPoolId: null,
      accountId: ACCOUNT,
      cognitoIdentityId: null,
      caller: 'AROAORDERS:orders',
      sourceIp: '10.0.3.17',
      principalOrgId: null,
      accessKey: 'ASIAORDERS',
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
      userArn: caller.principalArn,
      userAgent: 'aws-sdk-js/3',
      user: 'AROAORDERS:orders',
      apiKey: null,
      apiKeyId: null,
      clientCert: null,
      vpceId: 'vpce-0123456789abcdef0',
      vpcId: 'vpc-0aaa',
    });
  });

  it('leaves IAM identity out for NONE methods; null maps when no query/params/stage vars', async () => {
    const lambda = new FakeLambda();
    const emulator = new ApiGatewayEmulator([{ ...api, stageVariables: undefined }], lambda);
    await emulator.start({ dataDir: '/x', region: REGION, accountId: ACCOUNT });
    await emulator.handle(
      request('PUT', host, '/prod/products/9', { 'content-type': 'application/json' }, '{"q":1}'),
      caller,
    );
    const { event } = lambda.events[0];
    assert.equal(event.queryStringParameters, null);
    assert.equal(event.multiValueQueryStringParameters, null);
    assert.equal(event.stageVariables, null);
    assert.equal(event.body, '{"q":1}');
    assert.equal(event.isBase64Encoded, false);
    assert.equal(event.requestContext.identity.userArn, null);
    assert.equal(event.requestContext.identity.accessKey, null);
    assert.equal(event.requestContext.identity.vpceId, 'vpce-0123456789abcdef0');
  });

  it('decodes path parameters but keeps the path percent-encoded', async () => {
    const lambda = new FakeLambda();
    const emulator = await started(lambda);
    await emulator.handle(request('PUT', host, '/prod/products/a%2Bb%20c'), caller);
    const { event } = lambda.events[0];
    assert.equal(event.path, '/products/a%2Bb%20c');
    assert.deepEqual(event.pathParameters, { id: 'a+b c' });
  });

  it('passes a binary media type body base64-encoded', async () => {
    const lambda = new FakeLambda();
    const emulator = await started(lambda);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    await emulator.handle(
      { ...request('PUT', host, '/prod/products/9', { 'content-type': 'image/png' }), body: png },
      caller,
    );
    const { event } = lambda.events[0];
    assert.equal(event.isBase64Encoded, true);
    assert.equal(event.body, png.toString('base64'));
  });

  it('maps the Lambda response: status, merged headers, base64 body to bytes, API Gateway ids', async () => {
    const lambda = new FakeLambda();
    const emulator = await started(lambda);
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    lambda.next = {
      ok: true,
      payload: {
        statusCode: 201,
        headers: { 'Content-Type': 'image/png', 'X-Single': 'a', 'X-Both': 'h' },
        multiValueHeaders: { 'X-Both': ['m1', 'm2'], 'X-Multi': ['1', '2'] },
        body: bytes.toString('base64'),
        isBase64Encoded: true,
      },
    };
    const response = await emulator.handle(request('GET', host, '/prod/products/1'), caller);
    assert.equal(response.status, 201);
    assert.deepEqual(bodyOf(response), bytes);
    assert.equal(response.headers['content-type'], 'image/png');
    assert.equal(response.headers['x-single'], 'a');
    assert.equal(response.headers['x-both'], 'h, m1, m2');
    assert.equal(response.headers['x-multi'], '1, 2');
    assert.match(response.headers['x-amzn-requestid'], /^[0-9a-f-]{36}$/);
    assert.ok(response.headers['x-amz-apigw-id']);
  });

  it('defaults Content-Type to application/json and accepts a missing body', async () => {
    const lambda = new FakeLambda();
    const emulator = await started(lambda);
    lambda.next = { ok: true, payload: { statusCode: '204' } };
    const response = await emulator.handle(request('GET', host, '/prod/products/1'), caller);
    assert.equal(response.status, 204);
    assert.equal(response.headers['content-type'], 'application/json');
    assert.equal(bodyOf(response).length, 0);
  });

  const failures: Array<[string, InvokeResult]> = [
    ['a function error', { ok: false, error: { errorType: 'Error', errorMessage: 'boom' } }],
    [
      'a timeout',
      {
        ok: false,
        error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 3.00 seconds' },
      },
    ],
    ['a payload that is not an object', { ok: true, payload: 'hello' }],
    ['a missing statusCode', { ok: true, payload: { body: 'x' } }],
    ['an object body', { ok: true, payload: { statusCode: 200, body: { hey: 'dude' } } }],
    ['an unknown top-level field', { ok: true, payload: { statusCode: 200, body: '', cookies: ['a=b'] } }],
    ['a non-scalar header value', { ok: true, payload: { statusCode: 200, headers: { a: { b: 1 } } } }],
  ];
  for (const [what, result] of failures) {
    it(`answers 502 Internal server error for ${what}`, async () => {
      const lambda = new FakeLambda();
      const logged: string[] = [];
      const emulator = new ApiGatewayEmulator([api], lambda, (_api, _id, message) => logged.push(message));
      await emulator.start({ dataDir: '/x', region: REGION, accountId: ACCOUNT });
      lambda.next = result;
      const response = await emulator.handle(request('GET', host, '/prod/products/1'), caller);
      assert.equal(response.status, 502);
      assert.deepEqual(json(response), { message: 'Internal server error' });
      assert.equal(response.headers['x-amzn-errortype'], 'InternalServerErrorException');
      assert.equal(logged.length, 1);
    });
  }

  const refusals: Array<[string, ServiceRequest, number, unknown, string]> = [
    [
      'no resource',
      request('GET', host, '/prod/nothing'),
      403,
      { message: 'Missing Authentication Token' },
      'MissingAuthenticationTokenException',
    ],
    [
      'no method on the resource',
      request('DELETE', host, '/prod/products/1'),
      403,
      { message: 'Missing Authentication Token' },
      'MissingAuthenticationTokenException',
    ],
    [
      'an undeployed stage',
      request('GET', host, '/dev/products/1'),
      403,
      { message: 'Forbidden' },
      'ForbiddenException',
    ],
    [
      'an unknown API id (path form)',
      request('GET', '127.0.0.1:4566', '/restapis/nosuchapi0/prod/_user_request_/x'),
      404,
      { message: "The API id 'nosuchapi0' does not correspond to a deployed API Gateway API" },
      'NotFoundException',
    ],
  ];
  for (const [what, req, status, body, errorType] of refusals) {
    it(`answers ${status} for ${what}, never invoking Lambda`, async () => {
      const lambda = new FakeLambda();
      const response = await (await started(lambda)).handle(req, caller);
      assert.equal(response.status, status);
      assert.deepEqual(json(response), body);
      assert.equal(response.headers['x-amzn-errortype'], errorType);
      assert.equal(lambda.events.length, 0);
    });
  }

  it('runs MOCK integrations without Lambda', async () => {
    const lambda = new FakeLambda();
    const response = await (await started(lambda)).handle(request('GET', host, '/prod/health'), caller);
    assert.equal(response.status, 204);
    assert.equal(response.headers['x-mock'], 'yes');
    assert.equal(lambda.events.length, 0);
  });

  it('denies in API Gateway shape, with the account masked as AWS does', async () => {
    const emulator = await started(new FakeLambda());
    const arn = `arn:aws:execute-api:${REGION}:${ACCOUNT}:${api.id}/prod/GET/products/1`;
    const message = accessDeniedMessage(undefined, arn, true);
    assert.equal(
      message,
      `User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:${REGION}:********3333:${api.id}/prod/GET/products/1 with an explicit deny`,
    );
    const denied = emulator.deny('AccessDenied', message, request('GET', host, '/prod/products/1'));
    assert.equal(denied.status, 403);
    assert.deepEqual(json(denied), { Message: message });
    assert.equal(denied.headers['x-amzn-errortype'], 'AccessDeniedException');
    const forged = emulator.deny(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match',
      request('GET', host, '/'),
    );
    assert.equal(forged.status, 403);
    assert.equal(forged.headers['x-amzn-errortype'], 'InvalidSignatureException');
  });
});

describe('API Gateway emulator with the real Lambda runtime', () => {
  const runtime = new LambdaRuntime([
    {
      logicalId: 'CatalogFn',
      functionName: 'catalog',
      arn: FN,
      codeDir: fileURLToPath(new URL('../../fixtures/lambda/apigw', import.meta.url)),
      handler: 'index.handler',
      runtime: 'nodejs20.x',
      memoryMb: 128,
      timeoutSec: 3,
      env: { GREETING: 'hello' },
    },
  ]);
  after(() => runtime.stop());

  it('invokes the proxy integration in a worker and returns its response', async () => {
    const emulator = new ApiGatewayEmulator([publicApi], runtime);
    await emulator.start({ dataDir: '/x', region: REGION, accountId: ACCOUNT });
    const response = await emulator.handle(
      request(
        'PUT',
        '127.0.0.1:4566',
        `/restapis/${publicApi.id}/prod/_user_request_/products/77?x=1`,
        {},
        'hi',
      ),
      { principalArn: 'anonymous', accountId: '' },
    );
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'text/plain');
    assert.equal(bodyOf(response).toString(), 'hello PUT /products/{id} 77 x=1 body=hi');
  });
});

describe('API Gateway URLs', () => {
  it('builds both invoke URL forms, and each classifies back to the same API and stage', async () => {
    const emulator = await started(new FakeLambda());
    const aws = new URL(`${invokeUrl(api.id, REGION, 'prod')}products/5`);
    assert.equal(aws.href, `https://${api.id}.execute-api.${REGION}.amazonaws.com/prod/products/5`);
    const local = new URL(`${localInvokeUrl('http://127.0.0.1:4566/', api.id, 'prod')}products/5`);
    assert.equal(local.href, `http://127.0.0.1:4566/restapis/${api.id}/prod/_user_request_/products/5`);
    for (const url of [aws, local]) {
      const classified = emulator.classify(request('GET', url.host, url.pathname));
      assert.equal(classified.outcome, 'ok');
      assert.equal(classified.route?.resource.path, '/products/{id}');
    }
  });
});
