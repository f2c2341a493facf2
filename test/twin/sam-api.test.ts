/**
 * A SAM API with what SAM generates for `Auth` and `Cors`, served by the twin over real HTTP on
 * loopback: a DefaultAuthorizer (TOKEN, the template's own inline function), an event that opts out
 * with `Authorizer: NONE`, an event with `ApiKeyRequired: true` (no usage plan: every call 403), and
 * `Cors: "'*'"` with the preflight left unauthorized (`AddDefaultAuthorizerToCorsPreflight: false`).
 * Before the model read SAM's Auth and Cors, the twin let the unauthenticated calls through and
 * answered the preflight 403 Missing Authentication Token.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadTemplateText } from '../../src/cloudformation/load.ts';
import { buildModel } from '../../src/model/index.ts';
import { apiKeyPlan } from '../../src/twin/api-key-plan.ts';
import { lambdaRole, startTemplateTwin, type TemplateTwin } from './template-twin.ts';

// Allows the whole API: the result is cached (ReauthorizeEvery, default 300 s) and evaluated for the next route too.
const AUTHORIZER = `exports.handler = async (event) => {
  if (event.authorizationToken !== 'allow') throw new Error('Unauthorized');
  return {
    principalId: 'user',
    policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: event.methodArn.split('/')[0] + '/*' }] },
  };
};`;
const HANDLER = `exports.handler = async (event) => ({ statusCode: 200, body: 'sam ' + event.path });`;

const TEMPLATE = `
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:${lambdaRole()}
  AuthFn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt Role.Arn
      InlineCode: ${JSON.stringify(AUTHORIZER)}
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
            FunctionArn: !GetAtt AuthFn.Arn
  SamFn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt Role.Arn
      InlineCode: ${JSON.stringify(HANDLER)}
      Events:
        Secure: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /secure, Method: get}}
        Open: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /open, Method: get, Auth: {Authorizer: NONE}}}
        Keyed: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /keyed, Method: get, Auth: {ApiKeyRequired: true}}}
`;

interface Row {
  readonly name: string;
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
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
];

describe("SAM's Auth and Cors, over HTTP", () => {
  let running: TemplateTwin;
  before(async () => {
    running = await startTemplateTwin(TEMPLATE, 'twin-sam-api-');
  });
  after(async () => {
    await running?.stop();
  });

  it('names the key route that no usage plan covers in a boot warning', () => {
    const template = loadTemplateText(TEMPLATE, 'sam-api.yaml');
    const { warnings } = apiKeyPlan(template, buildModel(template));
    assert.ok(
      warnings.some((w) => w.startsWith('Api/keyed/GET: requires an API key')),
      warnings.join('\n'),
    );
  });

  for (const row of ROWS) {
    it(row.name, async () => {
      const api = running.twin.state.apis.Api;
      const response = await fetch(`${api.url}${row.path}`, {
        method: row.method ?? 'GET',
        headers: row.headers,
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
