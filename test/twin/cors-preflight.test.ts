/**
 * A browser's CORS preflight against the twin: REST APIs whose `OPTIONS` methods are MOCK
 * integrations as CDK's `defaultCorsPreflightOptions` / `addCorsPreflight` synthesizes them (a
 * `{ statusCode: 200 }` request template, one 204 integration response with static
 * `Access-Control-Allow-*` headers) and as the developer guide's OpenAPI import example writes
 * them, called over real HTTP through the internet entry.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { suiteTwin } from './template-twin.ts';

const ALLOW_HEADERS = 'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent';
const ALLOW_METHODS = 'OPTIONS,GET,PUT,POST,DELETE,PATCH,HEAD';

// The shape of `new RestApi(this, 'Api', {defaultCorsPreflightOptions: {allowOrigins: Cors.ALL_ORIGINS}})`
// with `api.root.addResource('items').addMethod('GET', new MockIntegration(...))`, as `cdk synth` writes it.
const TEMPLATE = `
Resources:
  Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: cors, EndpointConfiguration: {Types: [REGIONAL]}}}
  ApiOPTIONS:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: OPTIONS
      AuthorizationType: NONE
      Integration:
        Type: MOCK
        RequestTemplates: {application/json: '{ statusCode: 200 }'}
        IntegrationResponses:
          - StatusCode: '204'
            ResponseParameters:
              method.response.header.Access-Control-Allow-Headers: "'${ALLOW_HEADERS}'"
              method.response.header.Access-Control-Allow-Origin: "'*'"
              method.response.header.Access-Control-Allow-Methods: "'${ALLOW_METHODS}'"
      MethodResponses:
        - StatusCode: '204'
          ResponseParameters:
            method.response.header.Access-Control-Allow-Headers: true
            method.response.header.Access-Control-Allow-Origin: true
            method.response.header.Access-Control-Allow-Methods: true
  Items: {Type: AWS::ApiGateway::Resource, Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: items}}
  ItemsOPTIONS:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Items
      HttpMethod: OPTIONS
      AuthorizationType: NONE
      Integration:
        Type: MOCK
        RequestTemplates: {application/json: '{ statusCode: 200 }'}
        IntegrationResponses:
          - StatusCode: '204'
            ResponseParameters:
              method.response.header.Access-Control-Allow-Headers: "'${ALLOW_HEADERS}'"
              method.response.header.Access-Control-Allow-Origin: "'*'"
              method.response.header.Access-Control-Allow-Methods: "'${ALLOW_METHODS}'"
      MethodResponses:
        - StatusCode: '204'
          ResponseParameters:
            method.response.header.Access-Control-Allow-Headers: true
            method.response.header.Access-Control-Allow-Origin: true
            method.response.header.Access-Control-Allow-Methods: true
  ItemsGET:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Items
      HttpMethod: GET
      AuthorizationType: NONE
      Integration:
        Type: MOCK
        RequestTemplates: {application/json: '{"statusCode": 200}'}
        IntegrationResponses:
          - StatusCode: '200'
            ResponseParameters: {method.response.header.Access-Control-Allow-Origin: "'*'"}
            ResponseTemplates: {application/json: '{"items": []}'}
      MethodResponses:
        - {StatusCode: '200', ResponseParameters: {method.response.header.Access-Control-Allow-Origin: true}}
  Deployment: {Type: AWS::ApiGateway::Deployment, DependsOn: [ApiOPTIONS, ItemsOPTIONS, ItemsGET], Properties: {RestApiId: !Ref Api}}
  Stage: {Type: AWS::ApiGateway::Stage, Properties: {RestApiId: !Ref Api, DeploymentId: !Ref Deployment, StageName: prod}}
  DocApi:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: doc
      Body:
        openapi: 3.0.1
        info: {title: doc, version: '1'}
        paths:
          /users:
            options:
              responses:
                '200':
                  description: Default response for CORS method
                  headers:
                    Access-Control-Allow-Origin: {schema: {type: string}}
                    Access-Control-Allow-Methods: {schema: {type: string}}
                    Access-Control-Allow-Headers: {schema: {type: string}}
              x-amazon-apigateway-integration:
                type: mock
                requestTemplates: {application/json: '{"statusCode": 200}'}
                passthroughBehavior: never
                responses:
                  default:
                    statusCode: '200'
                    responseParameters:
                      method.response.header.Access-Control-Allow-Headers: "'Content-Type,X-Amz-Date,Authorization,X-Api-Key'"
                      method.response.header.Access-Control-Allow-Methods: "'*'"
                      method.response.header.Access-Control-Allow-Origin: "'*'"
  DocDeployment: {Type: AWS::ApiGateway::Deployment, Properties: {RestApiId: !Ref DocApi, StageName: v1}}
`;

const PREFLIGHT = { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'GET' };

interface Row {
  readonly name: string;
  readonly api: 'Api' | 'DocApi';
  readonly path: string;
  readonly method: string;
  readonly headers?: Record<string, string>;
  readonly status: number;
  readonly expectHeaders: Record<string, string>;
  readonly body: string;
}

const ROWS: Row[] = [
  {
    name: 'CDK preflight on /items: 204 with the Access-Control-Allow-* headers',
    api: 'Api',
    path: 'items',
    method: 'OPTIONS',
    headers: PREFLIGHT,
    status: 204,
    expectHeaders: {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': ALLOW_HEADERS,
      'access-control-allow-methods': ALLOW_METHODS,
    },
    body: '',
  },
  {
    name: 'CDK preflight on the root resource: 204 as well',
    api: 'Api',
    path: '',
    method: 'OPTIONS',
    headers: { ...PREFLIGHT, 'Access-Control-Request-Method': 'PUT' },
    status: 204,
    expectHeaders: { 'access-control-allow-origin': '*', 'access-control-allow-methods': ALLOW_METHODS },
    body: '',
  },
  {
    name: 'the actual GET after the preflight: the MOCK body and its Access-Control-Allow-Origin',
    api: 'Api',
    path: 'items',
    method: 'GET',
    headers: { Origin: 'http://localhost:3000' },
    status: 200,
    expectHeaders: { 'access-control-allow-origin': '*', 'content-type': 'application/json' },
    body: '{"items": []}',
  },
  {
    name: "the developer guide's OpenAPI OPTIONS method (passthrough never): 200 with its headers",
    api: 'DocApi',
    path: 'users',
    method: 'OPTIONS',
    headers: PREFLIGHT,
    status: 200,
    expectHeaders: {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': '*',
      'access-control-allow-headers': 'Content-Type,X-Amz-Date,Authorization,X-Api-Key',
    },
    body: '',
  },
];

describe('CORS preflight against MOCK OPTIONS methods, over HTTP', () => {
  const running = suiteTwin(TEMPLATE, 'twin-cors-preflight-');

  for (const row of ROWS) {
    it(row.name, async () => {
      const api = running.twin.state.apis[row.api];
      const url = `${running.twin.state.internet.endpoint}/restapis/${api.id}/${api.stage}/_user_request_/${row.path}`;
      const response = await fetch(url, { method: row.method, headers: row.headers });
      const body = await response.text();
      assert.equal(response.status, row.status, body);
      for (const [name, value] of Object.entries(row.expectHeaders))
        assert.equal(response.headers.get(name), value, name);
      assert.equal(body, row.body);
    });
  }
});
