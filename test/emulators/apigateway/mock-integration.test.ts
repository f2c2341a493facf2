/**
 * MOCK integrations as API Gateway runs them: a method written as in a template (Integration
 * RequestTemplates / PassthroughBehavior / IntegrationResponses, MethodResponses), read by the
 * model and the twin's plan, answered by the API Gateway emulator. Each row: the integration, the
 * request, what API Gateway answers (docs/runtime-semantics.md, "MOCK integrations").
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiGatewayEmulator, type RestApiDef } from '../../../src/emulators/apigateway/index.ts';
import type { ServiceRequest } from '../../../src/emulators/plugin.ts';
import { loadTemplateText } from '../../../src/cloudformation/load.ts';
import { buildModel } from '../../../src/model/index.ts';
import { mockIntegrationPlan } from '../../../src/twin/mock-integration-plan.ts';

const API_ID = 'mockapi123';

/** The MOCK method `M` (ANY /m) with these Integration and MethodResponses properties. */
function planOf(integration: object, methodResponses: object[]) {
  const template = loadTemplateText(
    JSON.stringify({
      Resources: {
        Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'mock' } },
        R: {
          Type: 'AWS::ApiGateway::Resource',
          Properties: {
            RestApiId: { Ref: 'Api' },
            ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
            PathPart: 'm',
          },
        },
        M: {
          Type: 'AWS::ApiGateway::Method',
          Properties: {
            RestApiId: { Ref: 'Api' },
            ResourceId: { Ref: 'R' },
            HttpMethod: 'ANY',
            AuthorizationType: 'NONE',
            Integration: { Type: 'MOCK', ...integration },
            MethodResponses: methodResponses,
          },
        },
      },
    }),
    'mock.json',
  );
  const method = buildModel(template).apiMethods.get('M');
  assert.ok(method);
  const warnings: string[] = [];
  return { mock: mockIntegrationPlan(template, method, warnings), warnings };
}

async function answer(integration: object, methodResponses: object[], req: Partial<ServiceRequest>) {
  const { mock, warnings } = planOf(integration, methodResponses);
  const api: RestApiDef = {
    logicalId: 'Api',
    id: API_ID,
    name: 'mock',
    endpointType: 'REGIONAL',
    vpcEndpointIds: [],
    stages: ['prod'],
    resources: [
      {
        id: 'r1',
        path: '/m',
        methods: [
          {
            httpMethod: 'ANY',
            authorizationType: 'NONE',
            apiKeyRequired: false,
            integration: { type: 'MOCK', mock },
          },
        ],
      },
    ],
  };
  const emulator = new ApiGatewayEmulator([api], { invoke: () => Promise.reject(new Error('no Lambda')) });
  await emulator.start({ dataDir: '/nonexistent', region: 'us-east-1', accountId: '111122223333' });
  const host = `${API_ID}.execute-api.us-east-1.amazonaws.com`;
  const response = await emulator.handle(
    {
      method: req.method ?? 'GET',
      url: new URL(`http://${host}/prod/m`),
      headers: { host, ...req.headers },
      body: req.body ?? Buffer.alloc(0),
    },
    { principalArn: 'anonymous', accountId: '111122223333', sourceIp: '203.0.113.9' },
  );
  return { response, body: (response.body as Buffer).toString(), warnings };
}

// CDK's addCorsPreflight / defaultCorsPreflightOptions, as synthesized (aws-apigateway cors.ts).
const CDK_PREFLIGHT = {
  RequestTemplates: { 'application/json': '{ statusCode: 200 }' },
  IntegrationResponses: [
    {
      StatusCode: '204',
      ResponseParameters: {
        'method.response.header.Access-Control-Allow-Headers':
          "'Content-Type,X-Amz-Date,Authorization,X-Api-Key'",
        'method.response.header.Access-Control-Allow-Origin': "'*'",
        'method.response.header.Access-Control-Allow-Methods': "'OPTIONS,GET,PUT,POST,DELETE,PATCH,HEAD'",
      },
    },
  ],
};
const CDK_PREFLIGHT_RESPONSES = [
  {
    StatusCode: '204',
    ResponseParameters: {
      'method.response.header.Access-Control-Allow-Headers': true,
      'method.response.header.Access-Control-Allow-Origin': true,
      'method.response.header.Access-Control-Allow-Methods': true,
    },
  },
];
const ERRORS = {
  StatusCode: '500',
  SelectionPattern: '5\\d{2}',
  ResponseTemplates: { 'application/json': '{"message": "mocked failure"}' },
};
const methodResponses = (...codes: string[]) => codes.map((StatusCode) => ({ StatusCode }));

interface Row {
  name: string;
  integration: object;
  methodResponses: object[];
  request?: Partial<ServiceRequest>;
  status: number;
  headers?: Record<string, string | undefined>;
  body?: string;
  warning?: RegExp;
}

const rows: Row[] = [
  {
    name: 'a bare MOCK (no request template, no integration response): 500 Internal server error',
    integration: {},
    methodResponses: [],
    status: 500,
    warning: /API Gateway answers every call with 500/,
  },
  {
    name: "CDK's CORS preflight: { statusCode: 200 } selects the default 204 response with its static headers",
    integration: CDK_PREFLIGHT,
    methodResponses: CDK_PREFLIGHT_RESPONSES,
    request: { method: 'OPTIONS' },
    status: 204,
    headers: {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'Content-Type,X-Amz-Date,Authorization,X-Api-Key',
      'access-control-allow-methods': 'OPTIONS,GET,PUT,POST,DELETE,PATCH,HEAD',
    },
    body: '',
  },
  {
    name: 'the status comes from the request template: {"statusCode": 500} selects the 5\\d{2} response',
    integration: {
      RequestTemplates: { 'application/json': '{"statusCode": 500}' },
      IntegrationResponses: [{ StatusCode: '200' }, ERRORS],
    },
    methodResponses: methodResponses('200', '500'),
    status: 500,
    body: '{"message": "mocked failure"}',
  },
  {
    name: 'a selection pattern matches the whole status: 20 does not match 201, 2\\d\\d does',
    integration: {
      RequestTemplates: { 'application/json': '{"statusCode": 201}' },
      IntegrationResponses: [
        { StatusCode: '400', SelectionPattern: '20' },
        { StatusCode: '201', SelectionPattern: '2\\d\\d' },
        { StatusCode: '200' },
      ],
    },
    methodResponses: methodResponses('200', '201', '400'),
    status: 201,
  },
  {
    name: 'no pattern matches: the default response (the one without SelectionPattern) answers',
    integration: {
      RequestTemplates: { 'application/json': '{"statusCode": 302}' },
      IntegrationResponses: [
        ERRORS,
        { StatusCode: '202', ResponseTemplates: { 'application/json': '{"ok": true}' } },
      ],
    },
    methodResponses: methodResponses('202', '500'),
    status: 202,
    body: '{"ok": true}',
  },
  {
    name: 'static headers are set; integration.response.* mappings have nothing to map from',
    integration: {
      RequestTemplates: { 'application/json': '{"statusCode": 200}' },
      IntegrationResponses: [
        {
          StatusCode: '200',
          ResponseParameters: {
            'method.response.header.Content-Type': "'text/html'",
            'method.response.header.X-Static': "'yes'",
            'method.response.header.X-From-Backend': 'integration.response.header.X-Backend',
          },
          ResponseTemplates: { 'text/html': '<h1>mocked</h1>' },
        },
      ],
    },
    methodResponses: [
      {
        StatusCode: '200',
        ResponseParameters: {
          'method.response.header.Content-Type': true,
          'method.response.header.X-Static': true,
          'method.response.header.X-From-Backend': true,
        },
      },
    ],
    request: { headers: { accept: 'text/html' } },
    status: 200,
    headers: { 'content-type': 'text/html', 'x-static': 'yes', 'x-from-backend': undefined },
    body: '<h1>mocked</h1>',
  },
  {
    name: "the response template of the request's Accept type, else application/json",
    integration: {
      RequestTemplates: { 'application/json': '{"statusCode": 200}' },
      IntegrationResponses: [
        {
          StatusCode: '200',
          ResponseTemplates: { 'application/xml': '<ok/>', 'application/json': '{"ok": 1}' },
        },
      ],
    },
    methodResponses: methodResponses('200'),
    request: { headers: { accept: 'image/png' } },
    status: 200,
    body: '{"ok": 1}',
  },
  {
    name: 'a response template with VTL is not evaluated: empty body, and a boot warning',
    integration: {
      RequestTemplates: { 'application/json': '{"statusCode": 200}' },
      IntegrationResponses: [
        {
          StatusCode: '202',
          ResponseParameters: { 'method.response.header.X-Static': "'yes'" },
          ResponseTemplates: { 'application/json': '{"requestId": "$context.requestId"}' },
        },
      ],
    },
    methodResponses: [{ StatusCode: '202', ResponseParameters: { 'method.response.header.X-Static': true } }],
    status: 202,
    headers: { 'x-static': 'yes' },
    body: '',
    warning:
      /M: integration response 202: the response template for application\/json uses VTL \(VTL not evaluated/,
  },
  {
    name: 'no integration response matches and none is the default: 500 Internal server error',
    integration: {
      RequestTemplates: { 'application/json': '{"statusCode": 404}' },
      IntegrationResponses: [{ StatusCode: '200', SelectionPattern: '2\\d{2}' }],
    },
    methodResponses: methodResponses('200'),
    status: 500,
    headers: { 'x-amzn-errortype': 'InternalServerErrorException' },
    body: '{"message":"Internal server error"}',
  },
  {
    name: 'no request template (a GET has no body to pass through): no statusCode, 500',
    integration: { IntegrationResponses: [{ StatusCode: '200' }] },
    methodResponses: methodResponses('200'),
    status: 500,
    body: '{"message":"Internal server error"}',
  },
  {
    name: 'WHEN_NO_MATCH: an unmapped content type passes its body through, and the mock reads it',
    integration: {
      RequestTemplates: { 'application/json': '{"statusCode": 200}' },
      IntegrationResponses: [{ StatusCode: '200' }, { StatusCode: '418', SelectionPattern: '418' }],
    },
    methodResponses: methodResponses('200', '418'),
    request: {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: Buffer.from('{"statusCode": 418}'),
    },
    status: 418,
  },
  {
    name: 'NEVER: an unmapped content type is refused with 415 Unsupported Media Type',
    integration: {
      PassthroughBehavior: 'NEVER',
      RequestTemplates: { 'application/json': '{"statusCode": 200}' },
      IntegrationResponses: [{ StatusCode: '200' }],
    },
    methodResponses: methodResponses('200'),
    request: { method: 'POST', headers: { 'content-type': 'text/plain' }, body: Buffer.from('x') },
    status: 415,
    body: '{"message":"Unsupported Media Type"}',
  },
  {
    name: 'a request template with VTL is not evaluated: 500, and a boot warning',
    integration: {
      RequestTemplates: {
        'application/json':
          '{ #if( $input.params(\'scope\') == "internal" ) "statusCode": 200 #else "statusCode": 500 #end }',
      },
      IntegrationResponses: [{ StatusCode: '200' }],
    },
    methodResponses: methodResponses('200'),
    status: 500,
    warning: /M: the request template for application\/json uses VTL \(VTL not evaluated/,
  },
];

describe('MOCK integrations as API Gateway runs them', () => {
  for (const row of rows) {
    it(row.name, async () => {
      const { response, body, warnings } = await answer(
        row.integration,
        row.methodResponses,
        row.request ?? {},
      );
      assert.equal(response.status, row.status, body);
      for (const [name, value] of Object.entries(row.headers ?? {}))
        assert.equal(response.headers[name], value, name);
      if (row.body !== undefined) assert.equal(body, row.body);
      if (row.warning) assert.match(warnings.join('\n'), row.warning);
      else assert.deepEqual(warnings, []);
    });
  }
});

describe("the twin's plan names what API Gateway would refuse or the twin cannot run", () => {
  const cases: Array<[string, object, object[], RegExp | undefined]> = [
    [
      'neither templates nor responses: API Gateway answers 500, and so does the twin',
      {},
      [],
      /M: MOCK integration without request templates or integration responses: API Gateway answers every call with 500/,
    ],
    [
      'an integration response without its method response',
      {
        RequestTemplates: { 'application/json': '{"statusCode": 200}' },
        IntegrationResponses: [{ StatusCode: '204' }],
      },
      methodResponses('200'),
      /M: integration response 204 has no method response 204: API Gateway refuses it at deployment/,
    ],
    [
      'a header the method response does not declare',
      {
        RequestTemplates: { 'application/json': '{"statusCode": 200}' },
        IntegrationResponses: [
          { StatusCode: '200', ResponseParameters: { 'method.response.header.X-A': "'a'" } },
        ],
      },
      methodResponses('200'),
      /M: integration response 200: method\.response\.header\.X-A is not declared by the method response/,
    ],
  ];
  for (const [name, integration, responses, warning] of cases) {
    it(name, () => {
      const { warnings } = planOf(integration, responses);
      assert.match(warnings.join('\n'), warning ?? /^$/);
    });
  }
  it("CDK's preflight: no warning", () => {
    assert.deepEqual(planOf(CDK_PREFLIGHT, CDK_PREFLIGHT_RESPONSES).warnings, []);
  });
});
