/**
 * REST APIs the template defines by an OpenAPI document (AWS::Serverless::Api DefinitionBody) and by
 * a SAM function's `Api` event (the implicit ServerlessRestApi), served by the twin over real HTTP
 * on loopback through the internet entry: a table of calls and API Gateway's answers.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inlineFunction, lambdaRole, samFunction, suiteTwin } from './template-twin.ts';

const HELLO = `exports.handler = async (event) => ({ statusCode: 200, body: 'hello from ' + event.resource });`;
const SAM = `exports.handler = async (event) => ({ statusCode: 200, body: 'sam ' + event.httpMethod + ' ' + event.path });`;

// SamFn's Events, lines of its Properties.
const EVENTS = `      Events:
        Items:
          Type: Api
          Properties: {Path: '/items/{id}', Method: get}`;

const TEMPLATE = `
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:${lambdaRole()}${inlineFunction('Hello', HELLO)}
  HelloPermission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !GetAtt Hello.Arn
      Principal: apigateway.amazonaws.com
      SourceArn: !Sub arn:aws:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${DocApi}/*/GET/hello
  DocApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      OpenApiVersion: '3.0.1'
      EndpointConfiguration: REGIONAL
      DefinitionBody:
        openapi: 3.0.1
        info: {title: doc, version: '1'}
        paths:
          /hello:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Hello.Arn}/invocations
          /mock:
            get:
              x-amazon-apigateway-integration:
                type: mock
                requestTemplates: {application/json: '{"statusCode": 200}'}
                responses: {default: {statusCode: '200'}}${samFunction('SamFn', SAM, EVENTS)}
`;

interface Row {
  readonly name: string;
  readonly api: 'DocApi' | 'ServerlessRestApi';
  readonly method?: string;
  readonly path: string;
  readonly status: number;
  readonly body: string | RegExp;
}

const ROWS: Row[] = [
  {
    name: 'OpenAPI aws_proxy GET /hello → the function',
    api: 'DocApi',
    path: 'hello',
    status: 200,
    body: 'hello from /hello',
  },
  { name: 'OpenAPI MOCK GET /mock → 200', api: 'DocApi', path: 'mock', status: 200, body: '' },
  {
    name: 'OpenAPI path not in the document → 403 Missing Authentication Token',
    api: 'DocApi',
    path: 'nowhere',
    status: 403,
    body: /Missing Authentication Token/,
  },
  {
    name: 'OpenAPI path with a verb it does not define → 403 Missing Authentication Token',
    api: 'DocApi',
    method: 'POST',
    path: 'hello',
    status: 403,
    body: /Missing Authentication Token/,
  },
  {
    name: "SAM implicit API GET /items/{id} → the function (SAM's permission counts)",
    api: 'ServerlessRestApi',
    path: 'items/42',
    status: 200,
    body: 'sam GET /items/42',
  },
  {
    name: 'SAM implicit API undefined path → 403 Missing Authentication Token',
    api: 'ServerlessRestApi',
    path: 'other',
    status: 403,
    body: /Missing Authentication Token/,
  },
];

describe('REST APIs from OpenAPI documents and SAM events, over HTTP', () => {
  const running = suiteTwin(TEMPLATE, 'twin-openapi-');

  it('lists both APIs with their stages', () => {
    assert.equal(running.twin.state.apis.DocApi?.stage, 'v1');
    assert.equal(running.twin.state.apis.ServerlessRestApi?.stage, 'Prod');
  });

  for (const row of ROWS) {
    it(row.name, async () => {
      const api = running.twin.state.apis[row.api];
      const response = await fetch(`${api.url}${row.path}`, { method: row.method ?? 'GET' });
      const text = await response.text();
      assert.equal(response.status, row.status, text);
      if (typeof row.body === 'string') assert.equal(text, row.body);
      else assert.match(text, row.body);
    });
  }
});
