/**
 * REST APIs defined by OpenAPI documents and SAM: a table of small templates, each with what the
 * model must build from it — resources, methods (integration, auth, authorizer, API key), stages,
 * the resource policy, and the Lambda permissions SAM writes for `Api` events.
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
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}
  Fn:
    Type: AWS::Lambda::Function
    Properties: {FunctionName: hello, Runtime: nodejs20.x, Handler: index.handler, Role: !GetAtt Role.Arn, Code: {ZipFile: x}}`;

const URI = "!Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations'";

/** What a row expects; `methods` are `<key> <TYPE> <auth>[ key][ fn]`. */
interface Expected {
  readonly methods?: string[];
  readonly resources?: string[];
  readonly stages?: string[];
  readonly endpoint?: string[];
  readonly policy?: (policy: unknown) => void;
  readonly check?: (model: Model) => void;
}

const ROWS: Array<[string, string, Expected]> = [
  [
    'RestApi Body (Swagger 2.0): paths → resource tree, aws_proxy → AWS_PROXY to the function, mock → MOCK',
    `
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        swagger: '2.0'
        info: {title: t, version: '1'}
        paths:
          /pets/{id}:
            get:
              x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: ${URI}}
          /:
            get:
              x-amazon-apigateway-integration: {type: MOCK}`,
    {
      methods: ['Api/pets/{id}/GET AWS_PROXY NONE fn', 'Api//GET MOCK NONE'],
      resources: ['/pets', '/pets/{id}'],
    },
  ],
  [
    'Serverless::Api DefinitionBody (OpenAPI 3.0): StageName is a stage, no "Stage" stage with OpenApiVersion',
    `
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      OpenApiVersion: '3.0.1'
      DefinitionBody:
        openapi: 3.0.1
        paths:
          /hello:
            post:
              x-amazon-apigateway-integration: {type: AWS_PROXY, httpMethod: POST, uri: ${URI}, credentials: arn:aws:iam::123456789012:role/apigw}`,
    {
      methods: ['Api/hello/POST AWS_PROXY NONE fn'],
      stages: ['v1'],
      check: (model) =>
        assert.equal(
          model.apiMethods.get('Api/hello/POST')?.integrationCredentials,
          'arn:aws:iam::123456789012:role/apigw',
        ),
    },
  ],
  [
    'Serverless::Api without OpenApiVersion: SAM also deploys the stage "Stage"',
    `
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody: {swagger: '2.0', paths: {/a: {get: {x-amazon-apigateway-integration: {type: mock}}}}}`,
    { stages: ['prod', 'Stage'] },
  ],
  [
    'sigv4 security scheme (x-amazon-apigateway-authtype: awsSigv4) → AWS_IAM',
    `
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        openapi: 3.0.1
        paths:
          /s: {get: {security: [{sigv4: []}], x-amazon-apigateway-integration: {type: mock}}}
        components:
          securitySchemes:
            sigv4: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4}`,
    { methods: ['Api/s/GET MOCK AWS_IAM'] },
  ],
  [
    'token authorizer (x-amazon-apigateway-authorizer) → CUSTOM with that authorizer; top-level security applies',
    `
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        swagger: '2.0'
        security: [{tok: []}]
        paths:
          /t: {get: {x-amazon-apigateway-integration: {type: mock}}}
          /open: {get: {security: [], x-amazon-apigateway-integration: {type: mock}}}
        securityDefinitions:
          tok:
            type: apiKey
            name: Authorization
            in: header
            x-amazon-apigateway-authtype: custom
            x-amazon-apigateway-authorizer:
              type: token
              authorizerUri: ${URI}
              authorizerResultTtlInSeconds: 60
              identityValidationExpression: '^x-.*'`,
    {
      methods: ['Api/t/GET MOCK CUSTOM', 'Api/open/GET MOCK NONE'],
      check: (model) => {
        const a = model.apiMethods.get('Api/t/GET')?.authorizer;
        assert.equal(a?.type, 'TOKEN');
        assert.equal(a?.name, 'tok');
        assert.equal(a?.identitySource, 'method.request.header.Authorization');
        assert.equal(a?.ttlSeconds, 60);
        assert.equal(a?.identityValidationExpression, '^x-.*');
        assert.match(a?.authorizerUri ?? '', /function:hello\/invocations$/);
        assert.match(a?.id ?? '', /^[a-z0-9]{6}$/);
      },
    },
  ],
  [
    'cognito_user_pools authorizer → COGNITO_USER_POOLS',
    `
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        swagger: '2.0'
        paths: {/c: {get: {security: [{pool: []}], x-amazon-apigateway-integration: {type: mock}}}}
        securityDefinitions:
          pool: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authorizer: {type: cognito_user_pools, providerARNs: [arn]}}`,
    { methods: ['Api/c/GET MOCK COGNITO_USER_POOLS'] },
  ],
  [
    'api_key scheme (in: header, name: x-api-key) → apiKeyRequired',
    `
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        swagger: '2.0'
        paths: {/k: {get: {security: [{api_key: []}], x-amazon-apigateway-integration: {type: mock}}}}
        securityDefinitions: {api_key: {type: apiKey, name: x-api-key, in: header}}`,
    { methods: ['Api/k/GET MOCK NONE key'] },
  ],
  [
    'x-amazon-apigateway-any-method → ANY; http_proxy → HTTP_PROXY',
    `
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        swagger: '2.0'
        paths:
          /{proxy+}:
            x-amazon-apigateway-any-method: {x-amazon-apigateway-integration: {type: http_proxy, uri: 'https://example.com/{proxy}'}}`,
    { methods: ['Api/{proxy+}/ANY HTTP_PROXY NONE'], resources: ['/{proxy+}'] },
  ],
  [
    'x-amazon-apigateway-policy and -endpoint-configuration; EndpointConfiguration Types',
    `
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      EndpointConfiguration: {Types: [PRIVATE]}
      Body:
        swagger: '2.0'
        x-amazon-apigateway-endpoint-configuration: {vpcEndpointIds: [vpce-0123456789abcdef0]}
        x-amazon-apigateway-policy:
          Version: '2012-10-17'
          Statement: [{Effect: Allow, Principal: '*', Action: execute-api:Invoke, Resource: 'execute-api:/*'}]
        paths: {/p: {get: {x-amazon-apigateway-integration: {type: mock}}}}`,
    {
      endpoint: ['PRIVATE'],
      policy: (policy) =>
        assert.deepEqual(policy, {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
          ],
        }),
      check: (model) =>
        assert.deepEqual(
          model.restApis.get('Api')?.vpcEndpointIds.map((r) => r.kind !== 'unresolved' && r.physicalId),
          ['vpce-0123456789abcdef0'],
        ),
    },
  ],
  [
    'SAM Auth.ResourcePolicy: SourceVpcWhitelist → Allow + Deny StringNotEquals; CustomStatements appended; EndpointConfiguration "PRIVATE"',
    `
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      OpenApiVersion: '2.0'
      EndpointConfiguration: PRIVATE
      Auth:
        ResourcePolicy:
          SourceVpcWhitelist: [vpce-0aaaaaaaaaaaaaaaa, vpc-0bbbbbbbbbbbbbbbb]
          IpRangeWhitelist: [10.0.0.0/8]
          CustomStatements: [{Effect: Deny, Principal: '*', Action: execute-api:Invoke, Resource: 'execute-api:/*/DELETE/*'}]
      DefinitionBody: {swagger: '2.0', paths: {'/r/{id}': {get: {x-amazon-apigateway-integration: {type: mock}}}}}`,
    {
      endpoint: ['PRIVATE'],
      policy: (policy) =>
        assert.deepEqual(policy, {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'execute-api:Invoke',
              Resource: ['execute-api:/prod/GET/r/*'],
              Principal: '*',
            },
            {
              Effect: 'Deny',
              Action: 'execute-api:Invoke',
              Resource: ['execute-api:/prod/GET/r/*'],
              Principal: '*',
              Condition: {
                StringNotEquals: {
                  'aws:SourceVpc': ['vpc-0bbbbbbbbbbbbbbbb'],
                  'aws:SourceVpce': ['vpce-0aaaaaaaaaaaaaaaa'],
                },
              },
            },
            {
              Effect: 'Deny',
              Principal: '*',
              Action: 'execute-api:Invoke',
              Resource: 'execute-api:/*/DELETE/*',
            },
          ],
        }),
      check: (model) =>
        assert.ok(model.issues.some((i) => i.logicalId === 'Api' && /IpRangeWhitelist/.test(i.message))),
    },
  ],
  [
    'SAM Api event without RestApiId → implicit ServerlessRestApi, stage Prod, AWS_PROXY, SAM permission granted',
    `
  Sam:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: x
      Events:
        Hi: {Type: Api, Properties: {Path: '/items/{id}', Method: get}}`,
    {
      methods: ['ServerlessRestApi/items/{id}/GET AWS_PROXY NONE fn'],
      stages: ['Prod'],
      check: (model) => {
        const api = model.restApis.get('ServerlessRestApi');
        assert.match(api?.id ?? '', /^[a-z0-9]{10}$/);
        const permissions = new LambdaPermissions(model.template, model);
        const fn = model.functions.get('Sam')?.arn ?? '';
        const arn = `arn:aws:execute-api:${model.region}:${model.accountId}:${api?.id}`;
        assert.equal(
          permissions.grantFor(fn, `${arn}/Prod/GET/items/42`, model.accountId),
          'SamHiPermissionProd',
        );
        assert.equal(permissions.grantFor(fn, `${arn}/Prod/POST/items/42`, model.accountId), undefined);
      },
    },
  ],
  [
    'SAM Api event with RestApiId joins that Serverless::Api; a path the DefinitionBody has keeps its method',
    `
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: live
      OpenApiVersion: '3.0.1'
      DefinitionBody:
        openapi: 3.0.1
        paths: {/doc: {get: {x-amazon-apigateway-integration: {type: mock}}}}
  Sam:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: x
      Events:
        Joined: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /joined, Method: ANY}}
        Doc: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /doc, Method: GET}}`,
    {
      methods: ['Api/doc/GET MOCK NONE', 'Api/joined/ANY AWS_PROXY NONE fn'],
      stages: ['live'],
      check: (model) => assert.equal(model.restApis.has('ServerlessRestApi'), false),
    },
  ],
];

function describeMethods(model: Model): string[] {
  return [...model.apiMethods.values()].map((m) =>
    [
      m.logicalId,
      m.integrationType,
      m.authorizationType,
      ...(m.apiKeyRequired ? ['key'] : []),
      ...(m.targetFunction?.kind === 'resource' ? ['fn'] : []),
    ].join(' '),
  );
}

describe('REST APIs from OpenAPI documents and SAM', () => {
  for (const [name, resources, expected] of ROWS) {
    it(name, () => {
      const model = buildModel(loadTemplateText(`${HEAD}${resources}\n`, 'openapi.yaml'));
      const apiId = model.restApis.has('Api') ? 'Api' : 'ServerlessRestApi';
      assert.ok(model.restApis.has(apiId), `${apiId} is modelled`);
      if (expected.methods) assert.deepEqual(describeMethods(model).sort(), [...expected.methods].sort());
      if (expected.resources)
        assert.deepEqual(
          [...model.apiResources.values()].map((r) => r.path).sort(),
          [...expected.resources].sort(),
        );
      if (expected.stages)
        assert.deepEqual(
          model.stages.map((s) => s.stageName),
          expected.stages,
        );
      if (expected.endpoint) assert.deepEqual(model.restApis.get(apiId)?.endpointTypes, expected.endpoint);
      expected.policy?.(model.restApis.get(apiId)?.policy);
      expected.check?.(model);
    });
  }
});
