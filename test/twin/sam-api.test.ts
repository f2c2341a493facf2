/**
 * A SAM API with what SAM generates for `Auth` and `Cors`, served by the twin over real HTTP on
 * loopback: a DefaultAuthorizer (TOKEN, the template's own inline function), an event that opts out
 * with `Authorizer: NONE`, an event with `ApiKeyRequired: true` (no usage plan: every call 403), and
 * `Cors: "'*'"` with the preflight left unauthorized (`AddDefaultAuthorizerToCorsPreflight: false`);
 * and `KeyApi` with `Auth.UsagePlan` PER_API: SAM's generated `KeyApiApiKey` (in twin.json) is accepted,
 * up to the plan's Quota. Before the twin built SAM's usage plans, every keyed call was refused (403).
 * Before the model read SAM's Auth and Cors, the twin let the unauthenticated calls through and
 * answered the preflight 403 Missing Authentication Token.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadTemplateText } from '../../src/cloudformation/load.ts';
import { buildModel } from '../../src/model/index.ts';
import { apiKeyPlan } from '../../src/twin/api-key-plan.ts';
import { lambdaRole, samFunction, suiteTwin } from './template-twin.ts';

// Allows the whole API: the result is cached (ReauthorizeEvery, default 300 s) and evaluated for the next route too.
const AUTHORIZER = `exports.handler = async (event) => {
  if (event.authorizationToken !== 'allow') throw new Error('Unauthorized');
  return {
    principalId: 'user',
    policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: event.methodArn.split('/')[0] + '/*' }] },
  };
};`;
const HANDLER = `exports.handler = async (event) => ({ statusCode: 200, body: 'sam ' + event.path });`;

// SamFn's Events, lines of its Properties.
const EVENTS = `      Events:
        Secure: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /secure, Method: get}}
        Open: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /open, Method: get, Auth: {Authorizer: NONE}}}
        Keyed: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /keyed, Method: get, Auth: {ApiKeyRequired: true}}}
        Planned: {Type: Api, Properties: {RestApiId: !Ref KeyApi, Path: /planned, Method: get}}`;

const TEMPLATE = `
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:${lambdaRole()}${samFunction('AuthFn', AUTHORIZER)}
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Cors: "'*'"
      Auth:
        DefaultAuthorizer: Tok
        AddDefaultAuthorizerToCorsPreflight: false
        Authorizers:
          Tok:
            FunctionArn: !GetAtt AuthFn.Arn${samFunction('SamFn', HANDLER, EVENTS)}
  KeyApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      Auth:
        ApiKeyRequired: true
        UsagePlan:
          CreateUsagePlan: PER_API
          Quota: {Limit: 2, Period: DAY}
          Throttle: {RateLimit: 100, BurstLimit: 100}
`;

/** The twin.json key value of SAM's generated key. */
const SAM_KEY = Symbol('KeyApiApiKey');

interface Row {
  readonly name: string;
  /** @default 'Api' */
  readonly api?: string;
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string | typeof SAM_KEY>;
  readonly status: number;
  readonly body?: string | RegExp;
  readonly responseHeaders?: Record<string, string>;
}

const ROWS: Row[] = [
  {
    name: 'DefaultAuthorizer: no token → 401 Unauthorized',
    path: 'secure',
    status: 401,
    body: /Unauthorized/,
  },
  {
    name: 'DefaultAuthorizer: a token the authorizer allows → 200 (its permission is the one SAM writes)',
    path: 'secure',
    headers: { authorization: 'allow' },
    status: 200,
    body: 'sam /secure',
  },
  {
    name: 'a token the authorizer refuses → 401',
    path: 'secure',
    headers: { authorization: 'deny' },
    status: 401,
    body: /Unauthorized/,
  },
  { name: 'Auth: {Authorizer: NONE} → 200 without a token', path: 'open', status: 200, body: 'sam /open' },
  {
    name: "CORS preflight → SAM's OPTIONS MOCK: 200 with Allow-Origin '*' and Allow-Methods GET,OPTIONS",
    method: 'OPTIONS',
    path: 'secure',
    headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET' },
    status: 200,
    body: '{}\n',
    responseHeaders: {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET,OPTIONS',
    },
  },
  {
    name: 'ApiKeyRequired without a usage plan: with the token but no key → 403 Forbidden',
    path: 'keyed',
    headers: { authorization: 'allow' },
    status: 403,
    body: /Forbidden/,
  },
  {
    name: 'ApiKeyRequired route still has the DefaultAuthorizer: no token → 401',
    path: 'keyed',
    status: 401,
    body: /Unauthorized/,
  },
  {
    name: 'UsagePlan PER_API: the generated key KeyApiApiKey from twin.json → 200',
    api: 'KeyApi',
    path: 'planned',
    headers: { 'x-api-key': SAM_KEY },
    status: 200,
    body: 'sam /planned',
  },
  {
    name: 'UsagePlan PER_API: no key → 403 Forbidden',
    api: 'KeyApi',
    path: 'planned',
    status: 403,
    body: /Forbidden/,
  },
  {
    name: 'UsagePlan PER_API: another key → 403 Forbidden',
    api: 'KeyApi',
    path: 'planned',
    headers: { 'x-api-key': 'not-the-generated-key-0123456789' },
    status: 403,
    body: /Forbidden/,
  },
  {
    name: "UsagePlan PER_API: the plan's Quota (2 a day) holds: the 2nd call → 200",
    api: 'KeyApi',
    path: 'planned',
    headers: { 'x-api-key': SAM_KEY },
    status: 200,
  },
  {
    name: 'UsagePlan PER_API: the 3rd call → 429 Limit Exceeded',
    api: 'KeyApi',
    path: 'planned',
    headers: { 'x-api-key': SAM_KEY },
    status: 429,
    body: /Limit Exceeded/,
  },
];

describe("SAM's Auth and Cors, over HTTP", () => {
  const running = suiteTwin(TEMPLATE, 'twin-sam-api-');

  it('names the key route that no usage plan covers in a boot warning', () => {
    const template = loadTemplateText(TEMPLATE, 'sam-api.yaml');
    const { warnings } = apiKeyPlan(template, buildModel(template));
    assert.ok(
      warnings.some((w) => w.startsWith('Api/keyed/GET: requires an API key')),
      warnings.join('\n'),
    );
  });

  it("lists SAM's generated key in twin.json under its logical id, enabled, with a 40-character value", () => {
    const key = running.twin.state.apiKeys?.KeyApiApiKey;
    assert.equal(key?.enabled, true);
    assert.match(key?.value ?? '', /^[A-Za-z0-9]{40}$/);
  });

  it('UsagePlan SHARED: one ServerlessUsagePlan with ServerlessApiKey over both APIs; PER_API: its own', () => {
    const template = loadTemplateText(
      `${TEMPLATE}
  Shared1:
    Type: AWS::Serverless::Api
    Properties: {StageName: a, Auth: {UsagePlan: {CreateUsagePlan: SHARED}}}
  Shared2:
    Type: AWS::Serverless::Api
    Properties: {StageName: b, Auth: {UsagePlan: {CreateUsagePlan: SHARED, Quota: {Limit: 9, Period: WEEK}}}}
`,
      'sam-api.yaml',
    );
    const model = buildModel(template);
    const plan = apiKeyPlan(template, model);
    assert.deepEqual(plan.keys.map((k) => k.logicalId).sort(), ['KeyApiApiKey', 'ServerlessApiKey']);
    const plansOf = (api: string) => plan.forApi(model.restApis.get(api)!.id).usagePlans ?? [];
    const [one] = plansOf('Shared1');
    const [two] = plansOf('Shared2');
    assert.equal(one.logicalId, 'ServerlessUsagePlan');
    assert.equal(one.id, two.id);
    assert.deepEqual(Object.keys(one.stages), ['a']);
    assert.deepEqual(Object.keys(two.stages), ['b']);
    assert.deepEqual(one.quota, { limit: 9, offset: 0, period: 'WEEK' });
    assert.deepEqual(
      one.keys.map((k) => k.logicalId),
      ['ServerlessApiKey'],
    );
    const [perApi] = plansOf('KeyApi');
    assert.equal(perApi.logicalId, 'KeyApiUsagePlan');
    assert.deepEqual(Object.keys(perApi.stages), ['v1']);
    assert.deepEqual(perApi.throttle, { rateLimit: 100, burstLimit: 100 });
    assert.deepEqual(
      perApi.keys.map((k) => [k.logicalId, k.enabled]),
      [['KeyApiApiKey', true]],
    );
  });

  for (const row of ROWS) {
    it(row.name, async () => {
      const api = running.twin.state.apis[row.api ?? 'Api'];
      const key = running.twin.state.apiKeys?.KeyApiApiKey?.value ?? '';
      const headers = Object.fromEntries(
        Object.entries(row.headers ?? {}).map(([name, value]) => [name, value === SAM_KEY ? key : value]),
      );
      const response = await fetch(`${api.url}${row.path}`, {
        method: row.method ?? 'GET',
        headers,
      });
      const text = await response.text();
      assert.equal(response.status, row.status, text);
      if (typeof row.body === 'string') assert.equal(text, row.body);
      else if (row.body) assert.match(text, row.body);
      for (const [name, value] of Object.entries(row.responseHeaders ?? {}))
        assert.equal(response.headers.get(name), value, name);
    });
  }
});
