/**
 * What SAM generates for an AWS::Serverless::Api's `Auth` and `Cors` and an `Api` event's `Auth`:
 * a table of small templates, each with the methods the model must build (authorization, API key,
 * authorizer, the CORS `OPTIONS` MOCK) and the authorizer permission SAM writes. Every row failed
 * before the model read them (it took every SAM method as NONE and added no OPTIONS method).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadTemplateText } from '../../src/cloudformation/load.ts';
import { buildModel, type Model } from '../../src/model/index.ts';
import { LambdaPermissions } from '../../src/model/lambda-permissions.ts';

const HEAD = `
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  AuthFn:
    Type: AWS::Serverless::Function
    Properties: {FunctionName: authz, Runtime: nodejs20.x, Handler: index.handler, InlineCode: x}`;

/** A function with `Api` events on `Api`: `events` is YAML for `Events`. */
const fn = (events: string) => `
  Sam:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: x
      Events:${events}`;

const TOKEN_AUTH = `
        Authorizers:
          Tok:
            FunctionArn: !GetAtt AuthFn.Arn
            Identity: {Header: X-Token, ValidationExpression: 'Bearer .*', ReauthorizeEvery: 30}`;

interface Expected {
  /** `<key> <TYPE> <auth>[ key]`, the whole list. */
  readonly methods?: string[];
  /** A substring each issue list must contain. */
  readonly issue?: string;
  readonly check?: (model: Model) => void;
}

const ROWS: Array<[string, string, Expected]> = [
  [
    'DefaultAuthorizer (TOKEN) on every event method; Authorizer: NONE opts out; event ApiKeyRequired',
    `
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        DefaultAuthorizer: Tok${TOKEN_AUTH}
${fn(`
        Secure: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /secure, Method: get}}
        Open: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /open, Method: get, Auth: {Authorizer: NONE}}}
        Keyed: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /keyed, Method: get, Auth: {ApiKeyRequired: true}}}`)}`,
    {
      methods: [
        'Api/secure/GET AWS_PROXY CUSTOM',
        'Api/open/GET AWS_PROXY NONE',
        'Api/keyed/GET AWS_PROXY CUSTOM key',
      ],
      check: (model) => {
        const authorizer = model.apiMethods.get('Api/secure/GET')?.authorizer;
        const authFn = model.functions.get('AuthFn')?.arn ?? '';
        assert.equal(authorizer?.name, 'Tok');
        assert.equal(authorizer?.type, 'TOKEN');
        assert.equal(authorizer?.identitySource, 'method.request.header.X-Token');
        assert.equal(authorizer?.identityValidationExpression, 'Bearer .*');
        assert.equal(authorizer?.ttlSeconds, 30);
        assert.ok(authorizer?.authorizerUri?.endsWith(`/functions/${authFn}/invocations`));
        // SAM's permission for the authorizer: <Api><Name>AuthorizerPermission on …/authorizers/*.
        const api = model.restApis.get('Api');
        const source = `arn:aws:execute-api:${model.region}:${model.accountId}:${api?.id}/authorizers/${authorizer?.id}`;
        assert.equal(
          new LambdaPermissions(model.template, model).grantFor(authFn, source, model.accountId),
          'ApiTokAuthorizerPermission',
        );
      },
    },
  ],
  [
    'REQUEST authorizer: identity sources from Headers, QueryStrings, StageVariables, Context',
    `
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        DefaultAuthorizer: Req
        Authorizers:
          Req:
            FunctionPayloadType: REQUEST
            FunctionArn: !GetAtt AuthFn.Arn
            Identity: {Headers: [X-A], QueryStrings: [q], StageVariables: [s], Context: [identity.sourceIp]}
${fn(`
        Get: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /r, Method: get}}`)}`,
    {
      methods: ['Api/r/GET AWS_PROXY CUSTOM'],
      check: (model) => {
        const authorizer = model.apiMethods.get('Api/r/GET')?.authorizer;
        assert.equal(authorizer?.type, 'REQUEST');
        assert.equal(
          authorizer?.identitySource,
          'method.request.header.X-A, method.request.querystring.q, stageVariables.s, context.identity.sourceIp',
        );
      },
    },
  ],
  [
    'Cognito authorizer (UserPoolArn) → COGNITO_USER_POOLS; an event names it; AWS_IAM on another',
    `
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        Authorizers:
          Pool: {UserPoolArn: arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_x}
${fn(`
        Pooled: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /p, Method: get, Auth: {Authorizer: Pool}}}
        Iam: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /i, Method: get, Auth: {Authorizer: AWS_IAM}}}
        Plain: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /n, Method: get}}`)}`,
    {
      methods: [
        'Api/p/GET AWS_PROXY COGNITO_USER_POOLS',
        'Api/i/GET AWS_PROXY AWS_IAM',
        'Api/n/GET AWS_PROXY NONE',
      ],
    },
  ],
  [
    "Cors: \"'*'\" → an OPTIONS MOCK per path, Allow-Origin '*', Allow-Methods the path's methods + OPTIONS, sorted",
    `
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Cors: "'*'"
${fn(`
        Get: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /items, Method: get}}
        Post: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /items, Method: post}}
        Any: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /any, Method: any}}`)}`,
    {
      methods: [
        'Api/items/GET AWS_PROXY NONE',
        'Api/items/POST AWS_PROXY NONE',
        'Api/any/ANY AWS_PROXY NONE',
        'Api/items/OPTIONS MOCK NONE',
        'Api/any/OPTIONS MOCK NONE',
      ],
      check: (model) => {
        const items = model.apiMethods.get('Api/items/OPTIONS')?.mockMapping;
        assert.deepEqual(items?.requestTemplates, { 'application/json': '{\n  "statusCode" : 200\n}\n' });
        assert.deepEqual(items?.integrationResponses[0]?.responseParameters, {
          'method.response.header.Access-Control-Allow-Origin': "'*'",
          'method.response.header.Access-Control-Allow-Methods': "'GET,OPTIONS,POST'",
        });
        assert.equal(items?.integrationResponses[0]?.statusCode, '200');
        assert.equal(items?.integrationResponses[0]?.selectionPattern, undefined);
        const any = model.apiMethods.get('Api/any/OPTIONS')?.mockMapping;
        assert.equal(
          any?.integrationResponses[0]?.responseParameters[
            'method.response.header.Access-Control-Allow-Methods'
          ],
          "'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'",
        );
      },
    },
  ],
  [
    'Cors object: AllowHeaders, AllowMethods, MaxAge, AllowCredentials; a document OPTIONS is kept',
    `
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Cors: {AllowOrigin: "'https://shop.example'", AllowHeaders: "'Content-Type'", AllowMethods: "'GET'", MaxAge: "'600'", AllowCredentials: true}
      DefinitionBody:
        swagger: '2.0'
        paths:
          /own: {options: {x-amazon-apigateway-integration: {type: mock}}, get: {x-amazon-apigateway-integration: {type: mock}}}
${fn(`
        Get: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /c, Method: get}}`)}`,
    {
      methods: [
        'Api/own/OPTIONS MOCK NONE',
        'Api/own/GET MOCK NONE',
        'Api/c/GET AWS_PROXY NONE',
        'Api/c/OPTIONS MOCK NONE',
      ],
      check: (model) => {
        assert.equal(model.apiMethods.get('Api/own/OPTIONS')?.synthesized, 'openapi');
        assert.deepEqual(
          model.apiMethods.get('Api/c/OPTIONS')?.mockMapping?.integrationResponses[0]?.responseParameters,
          {
            'method.response.header.Access-Control-Allow-Origin': "'https://shop.example'",
            'method.response.header.Access-Control-Allow-Headers': "'Content-Type'",
            'method.response.header.Access-Control-Allow-Methods': "'GET'",
            'method.response.header.Access-Control-Max-Age': "'600'",
            'method.response.header.Access-Control-Allow-Credentials': "'true'",
          },
        );
      },
    },
  ],
  [
    'DefaultAuthorizer reaches the CORS preflight by default (AddDefaultAuthorizerToCorsPreflight true)',
    `
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Cors: "'*'"
      Auth:
        DefaultAuthorizer: Tok${TOKEN_AUTH}
${fn(`
        Get: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /x, Method: get}}`)}`,
    { methods: ['Api/x/GET AWS_PROXY CUSTOM', 'Api/x/OPTIONS MOCK CUSTOM'] },
  ],
  [
    'AddDefaultAuthorizerToCorsPreflight false, ApiKeyRequired on the API, AddApiKeyRequiredToCorsPreflight false, event ApiKeyRequired false',
    `
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Cors: "'*'"
      Auth:
        DefaultAuthorizer: Tok
        AddDefaultAuthorizerToCorsPreflight: false
        ApiKeyRequired: true
        AddApiKeyRequiredToCorsPreflight: false${TOKEN_AUTH}
${fn(`
        Get: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /x, Method: get}}
        Free: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /free, Method: get, Auth: {ApiKeyRequired: false}}}`)}`,
    {
      methods: [
        'Api/x/GET AWS_PROXY CUSTOM key',
        'Api/free/GET AWS_PROXY CUSTOM',
        'Api/x/OPTIONS MOCK NONE',
        'Api/free/OPTIONS MOCK NONE',
      ],
    },
  ],
  [
    "DefinitionBody: a document method naming SAM's authorizer keeps it; others get the default; NONE needs OverrideApiAuth",
    `
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        DefaultAuthorizer: Tok${TOKEN_AUTH}
          Other:
            FunctionArn: !GetAtt AuthFn.Arn
      DefinitionBody:
        swagger: '2.0'
        paths:
          /doc: {get: {security: [{Other: []}], x-amazon-apigateway-integration: {type: mock}}}
          /plain: {get: {x-amazon-apigateway-integration: {type: mock}}}
${fn(`
        Stays: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /stays, Method: get, Auth: {Authorizer: NONE}}}
        Opens: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /opens, Method: get, Auth: {Authorizer: NONE, OverrideApiAuth: true}}}`)}`,
    {
      methods: [
        'Api/doc/GET MOCK CUSTOM',
        'Api/plain/GET MOCK CUSTOM',
        'Api/stays/GET AWS_PROXY CUSTOM',
        'Api/opens/GET AWS_PROXY NONE',
      ],
      issue: 'without OverrideApiAuth',
      check: (model) => {
        assert.equal(model.apiMethods.get('Api/doc/GET')?.authorizer?.name, 'Other');
        assert.equal(model.apiMethods.get('Api/plain/GET')?.authorizer?.name, 'Tok');
        assert.ok(!model.issues.some((i) => /security scheme Other/.test(i.message)));
      },
    },
  ],
  [
    'UsagePlan PER_API: <api>UsagePlan, <api>ApiKey, <api>UsagePlanKey on the StageName stage, with Quota and Throttle',
    `
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        ApiKeyRequired: true
        UsagePlan:
          CreateUsagePlan: PER_API
          Description: per api
          Quota: {Limit: 5, Period: DAY}
          Throttle: {RateLimit: 2, BurstLimit: 3}
${fn(`
        Get: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /k, Method: get}}`)}`,
    {
      methods: ['Api/k/GET AWS_PROXY NONE key'],
      check: (model) => {
        assert.deepEqual(model.restApis.get('Api')?.samUsagePlan, {
          createUsagePlan: 'PER_API',
          usagePlanLogicalId: 'ApiUsagePlan',
          apiKeyLogicalId: 'ApiApiKey',
          usagePlanKeyLogicalId: 'ApiUsagePlanKey',
          stageName: 'prod',
          description: 'per api',
          quota: { Limit: 5, Period: 'DAY' },
          throttle: { RateLimit: 2, BurstLimit: 3 },
        });
        assert.ok(!model.issues.some((i) => /UsagePlan/.test(i.message)), JSON.stringify(model.issues));
      },
    },
  ],
  [
    'UsagePlan SHARED on two APIs: ServerlessUsagePlan, ServerlessApiKey, ServerlessUsagePlanKey for both; NONE: none',
    `
  Api:
    Type: AWS::Serverless::Api
    Properties: {StageName: prod, Auth: {UsagePlan: {CreateUsagePlan: SHARED}}}
  Api2:
    Type: AWS::Serverless::Api
    Properties: {StageName: beta, Auth: {UsagePlan: {CreateUsagePlan: SHARED}}}
  Api3:
    Type: AWS::Serverless::Api
    Properties: {StageName: prod, Auth: {UsagePlan: {CreateUsagePlan: NONE}}}`,
    {
      check: (model) => {
        for (const [api, stage] of [
          ['Api', 'prod'],
          ['Api2', 'beta'],
        ]) {
          const plan = model.restApis.get(api)?.samUsagePlan;
          assert.equal(plan?.createUsagePlan, 'SHARED');
          assert.equal(plan?.usagePlanLogicalId, 'ServerlessUsagePlan');
          assert.equal(plan?.apiKeyLogicalId, 'ServerlessApiKey');
          assert.equal(plan?.usagePlanKeyLogicalId, 'ServerlessUsagePlanKey');
          assert.equal(plan?.stageName, stage);
        }
        assert.equal(model.restApis.get('Api3')?.samUsagePlan, undefined);
      },
    },
  ],
  [
    'the implicit API: an event with ApiKeyRequired and one with AWS_IAM',
    fn(`
        Keyed: {Type: Api, Properties: {Path: /k, Method: get, Auth: {ApiKeyRequired: true}}}
        Iam: {Type: Api, Properties: {Path: /i, Method: get, Auth: {Authorizer: AWS_IAM}}}`),
    { methods: ['ServerlessRestApi/k/GET AWS_PROXY NONE key', 'ServerlessRestApi/i/GET AWS_PROXY AWS_IAM'] },
  ],
];

function describeMethods(model: Model): string[] {
  return [...model.apiMethods.values()].map((m) =>
    [m.logicalId, m.integrationType, m.authorizationType, ...(m.apiKeyRequired ? ['key'] : [])].join(' '),
  );
}

describe("SAM's Auth and Cors", () => {
  for (const [name, resources, expected] of ROWS) {
    it(name, () => {
      const model = buildModel(loadTemplateText(`${HEAD}${resources}\n`, 'sam-auth.yaml'));
      if (expected.methods) assert.deepEqual(describeMethods(model).sort(), [...expected.methods].sort());
      if (expected.issue)
        assert.ok(
          model.issues.some((i) => i.message.includes(expected.issue!)),
          JSON.stringify(model.issues),
        );
      expected.check?.(model);
    });
  }
});
