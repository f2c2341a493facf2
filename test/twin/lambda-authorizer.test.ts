/**
 * Lambda authorizers (TOKEN and REQUEST) in front of a REST API's methods, run by the twin on a
 * small template: the real authorizer function in its worker, called over real HTTP on loopback.
 * Each row: what the caller sends, what API Gateway answers, what the audit records, and whether
 * the authorizer function ran (it counts its own invocations and returns the count in `context`).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestRecord } from '../../src/twin/recorder.ts';
import { inlineFunction, lambdaRole, recordingTwin } from './template-twin.ts';

// The authorizer decides by its token (TOKEN) or by the x-user header (REQUEST).
const AUTHORIZER_CODE = `
let calls = 0;
exports.handler = async (event) => {
  calls++;
  const who = event.type === 'TOKEN' ? event.authorizationToken : event.headers['x-user'];
  if (who === 'unauthorized') throw new Error('Unauthorized');
  if (who === 'crash') throw new Error('boom');
  if (who === 'broken') return { principalId: 'x' };
  if (who === 'nested') return { principalId: 'x', policyDocument: { Version: '2012-10-17', Statement: [] }, context: { a: { b: 1 } } };
  const [arnPrefix] = event.methodArn.split('/');
  const resource =
    who === 'narrow' ? event.methodArn : who === 'elsewhere' ? arnPrefix + '/*/POST/other' : arnPrefix + '/*/*';
  return {
    principalId: 'user-' + who,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: who === 'deny' ? 'Deny' : 'Allow', Resource: resource }] },
    context: { calls, tier: 'gold', n: 7, ok: true, type: event.type },
  };
};`;

// The integration answers with what API Gateway handed it as requestContext.authorizer.
const ECHO_CODE = `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.authorizer) });`;

function method(name: string, resource: string, authorizer: string | undefined, target = 'Echo'): string {
  const auth = authorizer
    ? `AuthorizationType: CUSTOM\n      AuthorizerId: !Ref ${authorizer}`
    : 'AuthorizationType: NONE';
  return `
  ${name}:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref ${resource}
      HttpMethod: GET
      ${auth}
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${target}.Arn}/invocations`;
}

function apiResource(name: string, path: string): string {
  return `
  ${name}: {Type: AWS::ApiGateway::Resource, Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: ${path}}}`;
}

const TEMPLATE = `
AWSTemplateFormatVersion: '2010-09-09'
Resources:${lambdaRole()}${inlineFunction('AuthFn', AUTHORIZER_CODE)}${inlineFunction('Echo', ECHO_CODE)}
${inlineFunction('Unpermitted', ECHO_CODE)}${inlineFunction('AuthFnUnpermitted', AUTHORIZER_CODE)}
  Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: guarded, EndpointConfiguration: {Types: [REGIONAL]}}}
  EchoPermission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !GetAtt Echo.Arn
      Principal: apigateway.amazonaws.com
      SourceArn: !Sub arn:aws:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${Api}/*/GET/*
  AuthPermission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref AuthFn
      Principal: apigateway.amazonaws.com
      SourceArn: !Sub arn:aws:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${Api}/authorizers/*
  UnpermittedPermission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !GetAtt Unpermitted.Arn
      Principal: apigateway.amazonaws.com
      SourceArn: !Sub arn:aws:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${Api}/*/POST/*
  UnpermittedAuth:
    Type: AWS::ApiGateway::Authorizer
    Properties:
      RestApiId: !Ref Api
      Name: unpermitted-auth
      Type: TOKEN
      IdentitySource: method.request.header.Authorization
      AuthorizerUri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${AuthFnUnpermitted.Arn}/invocations
  TokenAuth:
    Type: AWS::ApiGateway::Authorizer
    Properties:
      RestApiId: !Ref Api
      Name: token-auth
      Type: TOKEN
      IdentitySource: method.request.header.Authorization
      IdentityValidationExpression: '[a-z]+'
      AuthorizerResultTtlInSeconds: 300
      AuthorizerUri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${AuthFn.Arn}/invocations
  RequestAuth:
    Type: AWS::ApiGateway::Authorizer
    Properties:
      RestApiId: !Ref Api
      Name: request-auth
      Type: REQUEST
      IdentitySource: method.request.header.x-user, method.request.querystring.tenant
      AuthorizerResultTtlInSeconds: 0
      AuthorizerUri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${AuthFn.Arn}/invocations
  CognitoAuth:
    Type: AWS::ApiGateway::Authorizer
    Properties:
      RestApiId: !Ref Api
      Name: cognito-auth
      Type: COGNITO_USER_POOLS
      IdentitySource: method.request.header.Authorization
      ProviderARNs: [arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_example]
${apiResource('Token', 'token')}${apiResource('Token2', 'token2')}${apiResource('Req', 'req')}${apiResource('Cog', 'cog')}${apiResource('Open', 'open')}${apiResource('NoPerm', 'noperm')}${apiResource('NoPermAuth', 'nopermauth')}
${method('GetToken', 'Token', 'TokenAuth')}${method('GetToken2', 'Token2', 'TokenAuth')}${method('GetReq', 'Req', 'RequestAuth')}${method('GetCog', 'Cog', 'CognitoAuth')}${method('GetOpen', 'Open', undefined)}${method('GetNoPerm', 'NoPerm', undefined, 'Unpermitted')}${method('GetNoPermAuth', 'NoPermAuth', 'UnpermittedAuth')}
  Deployment: {Type: AWS::ApiGateway::Deployment, DependsOn: [GetToken, GetToken2, GetReq, GetCog, GetOpen, GetNoPerm, GetNoPermAuth], Properties: {RestApiId: !Ref Api}}
  Stage: {Type: AWS::ApiGateway::Stage, Properties: {RestApiId: !Ref Api, DeploymentId: !Ref Deployment, StageName: prod}}
`;

interface Row {
  readonly name: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly query?: string;
  readonly status: number;
  /** The body, or for 200 the fields of requestContext.authorizer that must be there. */
  readonly body?: unknown;
  readonly outcome: RequestRecord['outcome'];
  readonly errorType?: string;
}

const ROWS: Row[] = [
  {
    name: 'no token: 401 without calling the authorizer',
    path: 'token',
    status: 401,
    body: { message: 'Unauthorized' },
    outcome: 'refused',
    errorType: 'UnauthorizedException',
  },
  {
    name: 'a token the validation expression refuses: 401',
    path: 'token',
    headers: { authorization: 'abc123' },
    status: 401,
    body: { message: 'Unauthorized' },
    outcome: 'refused',
  },
  {
    name: 'the authorizer fails with "Unauthorized": 401',
    path: 'token',
    headers: { authorization: 'unauthorized' },
    status: 401,
    body: { message: 'Unauthorized' },
    outcome: 'refused',
  },
  {
    name: 'its policy denies: 403 explicit deny',
    path: 'token',
    headers: { authorization: 'deny' },
    status: 403,
    body: { Message: 'User is not authorized to access this resource with an explicit deny' },
    outcome: 'denied',
    errorType: 'AccessDeniedException',
  },
  {
    name: 'its policy allows another method only: 403',
    path: 'token',
    headers: { authorization: 'elsewhere' },
    status: 403,
    body: { Message: 'User is not authorized to access this resource' },
    outcome: 'denied',
  },
  {
    name: 'it fails otherwise: 500 AuthorizerConfigurationException, {"message": null}',
    path: 'token',
    headers: { authorization: 'crash' },
    status: 500,
    body: { message: null },
    outcome: 'refused',
    errorType: 'AuthorizerConfigurationException',
  },
  {
    name: 'its output has no policyDocument: 500',
    path: 'token',
    headers: { authorization: 'broken' },
    status: 500,
    body: { message: null },
    outcome: 'refused',
  },
  {
    name: 'its context holds an object: 500',
    path: 'token',
    headers: { authorization: 'nested' },
    status: 500,
    body: { message: null },
    outcome: 'refused',
  },
  {
    name: 'it allows: the integration sees principalId and the context, stringified',
    path: 'token',
    headers: { authorization: 'alice' },
    status: 200,
    body: { principalId: 'user-alice', tier: 'gold', n: '7', ok: 'true', type: 'TOKEN' },
    outcome: 'allowed',
  },
  {
    name: 'REQUEST authorizer, an identity source missing (no ?tenant): 401',
    path: 'req',
    headers: { 'x-user': 'bob' },
    status: 401,
    body: { message: 'Unauthorized' },
    outcome: 'refused',
  },
  {
    name: 'REQUEST authorizer with every identity source: allowed, event type REQUEST',
    path: 'req',
    headers: { 'x-user': 'bob' },
    query: 'tenant=t1',
    status: 200,
    body: { principalId: 'user-bob', type: 'REQUEST' },
    outcome: 'allowed',
  },
  {
    name: 'Cognito authorizer without its token: 401',
    path: 'cog',
    status: 401,
    body: { message: 'Unauthorized' },
    outcome: 'refused',
  },
  {
    name: 'Cognito authorizer with a token: refused, the twin cannot verify it (401)',
    path: 'cog',
    headers: { authorization: 'eyJ.fake.jwt' },
    status: 401,
    outcome: 'refused',
  },
  {
    name: "a method without authorizer takes a bearer token as the caller's own (no signature check)",
    path: 'open',
    headers: { authorization: 'Bearer abc.def' },
    status: 200,
    body: null,
    outcome: 'allowed',
  },
  {
    name: 'an integration function whose permission names other methods only: 500, the function never runs',
    path: 'noperm',
    status: 500,
    body: { message: 'Internal server error' },
    outcome: 'refused',
    errorType: 'InternalServerErrorException',
  },
  {
    name: 'an authorizer function without a permission for API Gateway: 500 AuthorizerConfigurationException',
    path: 'nopermauth',
    headers: { authorization: 'alice' },
    status: 500,
    body: { message: null },
    outcome: 'refused',
    errorType: 'AuthorizerConfigurationException',
  },
];

describe('Lambda authorizers in front of REST API methods', () => {
  const { running, records } = recordingTwin(TEMPLATE, 'twin-lambda-authorizer-');
  const url = (path: string, query?: string) => {
    const api = running.twin.state.apis.Api;
    return `${running.twin.state.internet.endpoint}/restapis/${api.id}/${api.stage}/_user_request_/${path}${query ? `?${query}` : ''}`;
  };
  const call = (path: string, headers: Record<string, string> = {}, query?: string) =>
    fetch(url(path, query), { headers });

  for (const row of ROWS) {
    it(row.name, async () => {
      const response = await call(row.path, row.headers, row.query);
      const text = await response.text();
      assert.equal(response.status, row.status, text);
      if (row.errorType) assert.equal(response.headers.get('x-amzn-errortype'), row.errorType);
      const body: unknown = JSON.parse(text);
      if (row.status === 200 && row.body && typeof row.body === 'object') {
        for (const [key, value] of Object.entries(row.body))
          assert.equal((body as Record<string, unknown>)[key], value, `requestContext.authorizer.${key}`);
      } else if (row.body !== undefined) assert.deepEqual(body, row.body);
      const record = records.at(-1);
      assert.equal(record?.outcome, row.outcome);
      assert.equal(record?.status, row.status);
    });
  }

  it('a result is cached for its token (TTL 300 s), and the cached policy is applied to the next method', async () => {
    type Seen = { calls: string; integrationLatency: number };
    const first = (await (await call('token', { authorization: 'carol' })).json()) as Seen;
    const again = (await (await call('token', { authorization: 'carol' })).json()) as Seen;
    assert.equal(again.calls, first.calls, 'the second call reused the cached result');
    assert.equal(typeof first.integrationLatency, 'number');
    assert.equal(again.integrationLatency, 0, 'no call behind a cached result');
    // 'narrow' allows only the method it was first called for: from the cache, /token2 is denied
    // (the developer guide's "403 on another path with caching" behaviour).
    assert.equal((await call('token', { authorization: 'narrow' })).status, 200);
    const other = await call('token2', { authorization: 'narrow' });
    assert.equal(other.status, 403);
    assert.deepEqual(await other.json(), { Message: 'User is not authorized to access this resource' });
  });

  it('a REQUEST authorizer with TTL 0 runs for every request', async () => {
    const first = (await (await call('req', { 'x-user': 'dave' }, 'tenant=t1')).json()) as { calls: string };
    const again = (await (await call('req', { 'x-user': 'dave' }, 'tenant=t1')).json()) as { calls: string };
    assert.equal(Number(again.calls), Number(first.calls) + 1);
  });

  it('the audit says why: the authorizer, the token refused, the policy that denied', () => {
    const denied = records.find((r) => r.status === 403 && r.outcome === 'denied');
    assert.match(denied?.errorMessage ?? '', /token-auth's policy denies arn:aws:execute-api:/);
    const cognito = records.find((r) => r.errorMessage?.includes('cannot verify the token'));
    assert.ok(cognito, 'the Cognito refusal names its reason');
  });

  it('boot names what it cannot run: the Cognito authorizer', () => {
    assert.ok(
      running.twin.boot.warnings.some((w) => w.includes('CognitoAuth') && w.includes('COGNITO_USER_POOLS')),
      running.twin.boot.warnings.join('\n'),
    );
  });
});
