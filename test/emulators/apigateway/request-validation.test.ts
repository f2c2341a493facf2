/**
 * API Gateway's basic request validation: the developer guide's own test cases (required query
 * string and header parameters, a body against a draft-4 model with an enum and a maximum), the
 * content-type rules ($default, no matching model → not validated), and how a template's
 * RequestValidator, RequestParameters and RequestModels become a method's validation.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RequestValidator } from '../../../src/emulators/apigateway/request-validation.ts';
import type { ServiceRequest } from '../../../src/emulators/plugin.ts';
import { loadTemplateText } from '../../../src/cloudformation/load.ts';
import { methodValidation } from '../../../src/twin/api-validation-plan.ts';

// The guide's sample API: GET /validation needs q1; POST /validation needs header h1 and a pet.
const PET = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  type: 'object',
  required: ['name', 'type', 'price'],
  properties: {
    name: { type: 'string' },
    type: { type: 'string', enum: ['dog', 'cat', 'fish'] },
    price: { type: 'number', minimum: 25, maximum: 500 },
  },
};
const getValidation = new RequestValidator({ requiredParameters: ['method.request.querystring.q1'] });
const postValidation = new RequestValidator({
  requiredParameters: ['method.request.header.h1'],
  bodyModels: { 'application/json': PET },
});

function request(query: string, headers: Record<string, string>, body = ''): ServiceRequest {
  return {
    method: body ? 'POST' : 'GET',
    url: new URL(`http://api.example/testStage/validation${query}`),
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(body),
  };
}

describe("request validation: the developer guide's test calls", () => {
  const marco = JSON.stringify({ name: 'Marco', type: 'dog', price: 260 });
  const cases: Array<[string, RequestValidator, ServiceRequest, string | undefined]> = [
    ['GET /validation?q1=cat passes', getValidation, request('?q1=cat', {}), undefined],
    [
      'GET /validation: q1 missing',
      getValidation,
      request('', {}),
      'Missing required request parameters: [q1]',
    ],
    [
      'GET /validation?q1= : q1 blank',
      getValidation,
      request('?q1=', {}),
      'Missing required request parameters: [q1]',
    ],
    ['POST with h1 and a valid pet passes', postValidation, request('', { h1: 'v1' }, marco), undefined],
    ['POST without h1', postValidation, request('', {}, marco), 'Missing required request parameters: [h1]'],
    [
      'POST with type bird (not in the enum)',
      postValidation,
      request('', { h1: 'v1' }, JSON.stringify({ name: 'Molly', type: 'bird', price: 269 })),
      'Invalid request body',
    ],
    [
      'POST with price 501 (over the maximum)',
      postValidation,
      request('', { h1: 'v1' }, JSON.stringify({ name: 'Molly', type: 'dog', price: 501 })),
      'Invalid request body',
    ],
    [
      'POST with a body that is not JSON',
      postValidation,
      request('', { h1: 'v1' }, '{name:'),
      'Invalid request body',
    ],
    [
      'POST as text/plain: no model for that content type, not validated',
      postValidation,
      request('', { h1: 'v1', 'content-type': 'text/plain' }, 'anything'),
      undefined,
    ],
    [
      'a $default model applies whatever the content type',
      new RequestValidator({ requiredParameters: [], bodyModels: { $default: PET } }),
      request('', { 'content-type': 'text/plain' }, '{}'),
      'Invalid request body',
    ],
  ];
  for (const [name, validator, req, expected] of cases) {
    it(name, () => assert.equal(validator.check(req, null)?.message, expected));
  }
  it('a required path parameter is checked against the matched route', () => {
    const v = new RequestValidator({ requiredParameters: ['method.request.path.id'] });
    assert.equal(v.check(request('', {}), { id: 'p-1' }), undefined);
    assert.equal(v.check(request('', {}), { id: ' ' })?.message, 'Missing required request parameters: [id]');
  });
});

describe("a template's request validation", () => {
  const template = loadTemplateText(
    `
Resources:
  Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: v}}
  Validator: {Type: AWS::ApiGateway::RequestValidator, Properties: {RestApiId: !Ref Api, ValidateRequestBody: true, ValidateRequestParameters: true}}
  BodyOnly: {Type: AWS::ApiGateway::RequestValidator, Properties: {RestApiId: !Ref Api, ValidateRequestBody: true, ValidateRequestParameters: false}}
  Pet: {Type: AWS::ApiGateway::Model, Properties: {RestApiId: !Ref Api, ContentType: application/json, Schema: {type: object, required: [name]}}}
  Both:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: POST
      AuthorizationType: NONE
      RequestValidatorId: !Ref Validator
      RequestParameters: {method.request.querystring.q1: true, method.request.querystring.optional: false}
      RequestModels: {application/json: !Ref Pet}
      Integration: {Type: MOCK, RequestTemplates: {application/json: '{"statusCode": 200}'}, IntegrationResponses: [{StatusCode: '200'}]}
      MethodResponses: [{StatusCode: '200'}]
  ParametersIgnored:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: PUT
      AuthorizationType: NONE
      RequestValidatorId: !Ref BodyOnly
      RequestParameters: {method.request.querystring.q1: true}
      RequestModels: {application/json: NoSuchModel}
      Integration: {Type: MOCK, RequestTemplates: {application/json: '{"statusCode": 200}'}, IntegrationResponses: [{StatusCode: '200'}]}
      MethodResponses: [{StatusCode: '200'}]
  Unvalidated:
    Type: AWS::ApiGateway::Method
    Properties: {RestApiId: !Ref Api, ResourceId: !GetAtt Api.RootResourceId, HttpMethod: GET, AuthorizationType: NONE, RequestParameters: {method.request.querystring.q1: true}, Integration: {Type: MOCK, RequestTemplates: {application/json: '{"statusCode": 200}'}, IntegrationResponses: [{StatusCode: '200'}]}, MethodResponses: [{StatusCode: '200'}]}
`,
    'validation.yaml',
  );

  it('required parameters and the model of each content type', () => {
    const warnings: string[] = [];
    assert.deepEqual(methodValidation(template, 'Both', warnings), {
      requiredParameters: ['method.request.querystring.q1'],
      bodyModels: { 'application/json': { type: 'object', required: ['name'] } },
    });
    assert.deepEqual(warnings, []);
  });
  it('a body-only validator ignores the required parameters; a model not in the template is named', () => {
    const warnings: string[] = [];
    assert.equal(methodValidation(template, 'ParametersIgnored', warnings), undefined);
    assert.match(
      warnings.join('\n'),
      /ParametersIgnored: model NoSuchModel for application\/json is not in the template/,
    );
  });
  it('no request validator: nothing is validated, whatever RequestParameters says', () => {
    assert.equal(methodValidation(template, 'Unvalidated', []), undefined);
  });
});
