/**
 * API Gateway stage throttling: the token-bucket arithmetic against the developer guide's own
 * worked examples, which setting applies to a method, how CloudFormation's MethodSettings are read,
 * and the twin answering 429 Too Many Requests once a method's bucket is empty.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT_LIMITS, methodLimits, TokenBucket } from '../../src/emulators/apigateway/throttle.ts';
import {
  decodeResourcePath,
  deploymentStageThrottles,
  stageThrottles,
} from '../../src/model/api-throttling.ts';
import { recordingTwin } from './template-twin.ts';

describe("token buckets: the developer guide's examples at the account's limits (10,000 rps, burst 5,000)", () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
  const examples: Array<{ name: string; waves: Array<[atMs: number, requests: number]>; served: number }> = [
    { name: '10,000 requests in the first millisecond', waves: [[0, 10_000]], served: 5_000 },
    {
      name: '5,000 at once, then 5,000 more at the 101st millisecond',
      waves: [
        [0, 5_000],
        [100, 5_000],
      ],
      served: 6_000,
    },
    {
      name: '10,000 spread evenly, 10 every millisecond',
      waves: Array.from({ length: 1000 }, (_, ms): [number, number] => [ms, 10]),
      served: 10_000,
    },
    {
      name: '5,000 at once, then 5 every millisecond for the remaining 999: all',
      waves: [[0, 5_000], ...Array.from({ length: 999 }, (_, i): [number, number] => [i + 1, 5])],
      served: 9_995,
    },
  ];
  for (const example of examples) {
    it(`${example.name}: ${example.served} served`, () => {
      const bucket = new TokenBucket(ACCOUNT_LIMITS, 0);
      let served = 0;
      for (const [at, requests] of example.waves)
        for (let i = 0; i < requests; i++) if (bucket.take(at)) served++;
      assert.equal(served, example.served);
    });
  }
});

describe('which limits apply to a method', () => {
  const settings = [
    { resourcePath: '/*', httpMethod: '*', rateLimit: 50, burstLimit: 100 },
    { resourcePath: '/orders', httpMethod: 'POST', rateLimit: 5 },
    { resourcePath: '/huge', httpMethod: 'GET', rateLimit: 50_000, burstLimit: 20_000 },
  ];
  const cases: Array<[string, string, string, { rate: number; burst: number } | undefined]> = [
    ['the stage default', '/products', 'GET', { rate: 50, burst: 100 }],
    ["a method's own rate, the default's burst", '/orders', 'POST', { rate: 5, burst: 100 }],
    ["bounded by the account's limits", '/huge', 'GET', { rate: 10_000, burst: 5_000 }],
  ];
  for (const [name, path, method, expected] of cases) {
    it(name, () => assert.deepEqual(methodLimits(settings, path, method), expected));
  }
  it('no setting on the stage: only the account bucket (undefined)', () => {
    assert.equal(methodLimits([], '/products', 'GET'), undefined);
  });
});

describe("CloudFormation's MethodSettings", () => {
  const paths: Array<[string, string]> = [
    ['/*', '/*'],
    ['/', '/'],
    ['/~1products', '/products'],
    ['/~1products~1{id}', '/products/{id}'],
  ];
  for (const [encoded, decoded] of paths) {
    it(`ResourcePath ${encoded} is ${decoded}`, () => assert.equal(decodeResourcePath(encoded), decoded));
  }
  it('a Stage: settings with a limit are kept, the others (logging only) dropped', () => {
    assert.deepEqual(
      stageThrottles({
        MethodSettings: [
          { ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
          { ResourcePath: '/~1orders', HttpMethod: 'post', ThrottlingRateLimit: '5' },
          { ResourcePath: '/*', HttpMethod: '*', LoggingLevel: 'INFO' },
        ],
      }),
      [
        { resourcePath: '/*', httpMethod: '*', rateLimit: 50, burstLimit: 100 },
        { resourcePath: '/orders', httpMethod: 'POST', rateLimit: 5, burstLimit: undefined },
      ],
    );
  });
  it("a Deployment's StageDescription: its top-level limits are the stage default", () => {
    assert.deepEqual(
      deploymentStageThrottles({ StageDescription: { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 } }),
      [{ resourcePath: '/*', httpMethod: '*', rateLimit: 10, burstLimit: 20 }],
    );
  });
});

const TEMPLATE = `
Resources:
  Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: throttled, EndpointConfiguration: {Types: [REGIONAL]}}}
  Items: {Type: AWS::ApiGateway::Resource, Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: items}}
  GetItems:
    Type: AWS::ApiGateway::Method
    Properties: {RestApiId: !Ref Api, ResourceId: !Ref Items, HttpMethod: GET, AuthorizationType: NONE, Integration: {Type: MOCK, RequestTemplates: {application/json: '{"statusCode": 200}'}, IntegrationResponses: [{StatusCode: '200'}]}, MethodResponses: [{StatusCode: '200'}]}
  PostItems:
    Type: AWS::ApiGateway::Method
    Properties: {RestApiId: !Ref Api, ResourceId: !Ref Items, HttpMethod: POST, AuthorizationType: NONE, Integration: {Type: MOCK, RequestTemplates: {application/json: '{"statusCode": 200}'}, IntegrationResponses: [{StatusCode: '200'}]}, MethodResponses: [{StatusCode: '200'}]}
  Deployment: {Type: AWS::ApiGateway::Deployment, DependsOn: [GetItems, PostItems], Properties: {RestApiId: !Ref Api}}
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      DeploymentId: !Ref Deployment
      StageName: prod
      MethodSettings:
        - {ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100}
        - {ResourcePath: '/~1items', HttpMethod: GET, ThrottlingRateLimit: 0.5, ThrottlingBurstLimit: 3}
`;

describe('the twin throttles a stage as its MethodSettings say', () => {
  const { running, records } = recordingTwin(TEMPLATE, 'twin-api-throttling-');
  const url = () => {
    const api = running.twin.state.apis.Api;
    return `${running.twin.state.internet.endpoint}/restapis/${api.id}/${api.stage}/_user_request_/items`;
  };

  it('GET /items (burst 3): three calls pass, the next ones get 429 Too Many Requests', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await fetch(url())).status);
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    const throttled = await fetch(url());
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get('x-amzn-errortype'), 'TooManyRequestsException');
    assert.deepEqual(await throttled.json(), { message: 'Too Many Requests' });
    assert.equal(records.at(-1)?.outcome, 'refused');
    assert.equal(records.at(-1)?.errorCode, 'TooManyRequestsException');
  });

  it('POST /items has its own bucket (the stage default, burst 100)', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await fetch(url(), { method: 'POST' })).status, 200);
  });

  it('GET /items again once its bucket refilled (one request every 2 seconds)', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2100));
    assert.equal((await fetch(url())).status, 200);
    assert.equal((await fetch(url())).status, 429);
  });
});
