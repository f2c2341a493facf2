/**
 * Which AWS::Lambda::Permission lets API Gateway invoke a function for a source ARN: a table of
 * permissions, each against the same calls (a method of stage prod, another stage, an authorizer).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadTemplateText } from '../../src/cloudformation/load.ts';
import { buildModel } from '../../src/model/index.ts';
import { LambdaPermissions } from '../../src/model/lambda-permissions.ts';

const ACCOUNT = '123456789012';
const API = `arn:aws:execute-api:us-east-1:${ACCOUNT}:abcdef1234`;
const GET_PROD = `${API}/prod/GET/orders/o-1`;
const GET_BETA = `${API}/beta/GET/orders/o-1`;
const AUTHORIZER = `${API}/authorizers/xyz789`;

function permissionsWith(properties: string): { permissions: LambdaPermissions; fn: string } {
  const template = loadTemplateText(
    `
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}
  Fn:
    Type: AWS::Lambda::Function
    Properties: {FunctionName: orders, Runtime: nodejs20.x, Handler: index.handler, Role: !GetAtt Role.Arn, Code: {ZipFile: x}}
  Permission:
    Type: AWS::Lambda::Permission
    Properties: ${properties}
`,
    'permissions.yaml',
  );
  const model = buildModel(template);
  return { permissions: new LambdaPermissions(template, model), fn: model.functions.get('Fn')?.arn ?? '' };
}

const ROWS: Array<[string, string, [getProd: boolean, getBeta: boolean, authorizer: boolean]]> = [
  [
    'any source',
    '{Action: lambda:InvokeFunction, FunctionName: !GetAtt Fn.Arn, Principal: apigateway.amazonaws.com}',
    [true, true, true],
  ],
  [
    'the prod stage only (CDK form, * for the path parameter)',
    `{Action: lambda:InvokeFunction, FunctionName: !GetAtt Fn.Arn, Principal: apigateway.amazonaws.com, SourceArn: '${API}/prod/GET/orders/*'}`,
    [true, false, false],
  ],
  [
    'the authorizer',
    `{Action: lambda:InvokeFunction, FunctionName: !Ref Fn, Principal: apigateway.amazonaws.com, SourceArn: '${API}/authorizers/*'}`,
    [false, false, true],
  ],
  [
    'named by function name, lambda:*',
    '{Action: "lambda:*", FunctionName: orders, Principal: apigateway.amazonaws.com}',
    [true, true, true],
  ],
  [
    '? stands for one character',
    `{Action: lambda:InvokeFunction, FunctionName: !GetAtt Fn.Arn, Principal: apigateway.amazonaws.com, SourceArn: '${API}/pro?/GET/*'}`,
    [true, false, false],
  ],
  [
    'another principal (s3.amazonaws.com)',
    '{Action: lambda:InvokeFunction, FunctionName: !GetAtt Fn.Arn, Principal: s3.amazonaws.com}',
    [false, false, false],
  ],
  [
    'another action (lambda:GetFunction)',
    '{Action: lambda:GetFunction, FunctionName: !GetAtt Fn.Arn, Principal: apigateway.amazonaws.com}',
    [false, false, false],
  ],
  [
    'a qualified function (an alias): not the unqualified call',
    `{Action: lambda:InvokeFunction, FunctionName: !Join [':', [!GetAtt Fn.Arn, live]], Principal: apigateway.amazonaws.com}`,
    [false, false, false],
  ],
  [
    'another SourceAccount',
    '{Action: lambda:InvokeFunction, FunctionName: !GetAtt Fn.Arn, Principal: apigateway.amazonaws.com, SourceAccount: "999999999999"}',
    [false, false, false],
  ],
];

describe('API Gateway invoke permissions (AWS::Lambda::Permission)', () => {
  for (const [name, properties, expected] of ROWS) {
    it(`${name}: GET prod ${expected[0]}, GET beta ${expected[1]}, authorizer ${expected[2]}`, () => {
      const { permissions, fn } = permissionsWith(properties);
      const granted = [GET_PROD, GET_BETA, AUTHORIZER].map(
        (source) => permissions.grantFor(fn, source, ACCOUNT) !== undefined,
      );
      assert.deepEqual(granted, expected);
    });
  }
  it('names the permission that grants', () => {
    const { permissions, fn } = permissionsWith(ROWS[0][1]);
    assert.equal(permissions.grantFor(fn, GET_PROD, ACCOUNT), 'Permission');
  });
});

describe("the function's resource-based policy (for Lambda Invoke)", () => {
  const rows: Array<[string, string, Record<string, unknown> | undefined]> = [
    [
      'a role ARN',
      `{FunctionName: !Ref Fn, Action: lambda:InvokeFunction, Principal: 'arn:aws:iam::${ACCOUNT}:role/caller'}`,
      { AWS: `arn:aws:iam::${ACCOUNT}:role/caller` },
    ],
    [
      'an account id, as its root',
      `{FunctionName: !GetAtt Fn.Arn, Action: lambda:InvokeFunction, Principal: '${ACCOUNT}'}`,
      { AWS: `arn:aws:iam::${ACCOUNT}:root` },
    ],
    [
      'a service, with its source conditions',
      `{FunctionName: !Ref Fn, Action: lambda:InvokeFunction, Principal: s3.amazonaws.com, SourceArn: 'arn:aws:s3:::b', SourceAccount: '${ACCOUNT}'}`,
      { Service: 's3.amazonaws.com' },
    ],
  ];
  for (const [name, properties, principal] of rows) {
    it(`a permission for ${name} becomes a statement on the function ARN`, () => {
      const { permissions, fn } = permissionsWith(properties);
      const policy = JSON.parse(permissions.policyOf(fn) ?? '{}') as {
        Statement: Array<{ Principal: unknown; Action: string; Resource: string; Condition?: unknown }>;
      };
      assert.equal(policy.Statement.length, 1);
      assert.deepEqual(policy.Statement[0].Principal, principal);
      assert.equal(policy.Statement[0].Action, 'lambda:InvokeFunction');
      assert.equal(policy.Statement[0].Resource, fn);
      if (name.startsWith('a service'))
        assert.deepEqual(policy.Statement[0].Condition, {
          ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::b' },
          StringEquals: { 'AWS:SourceAccount': ACCOUNT },
        });
    });
  }

  it('a permission on an alias names the qualified ARN', () => {
    const { permissions, fn } = permissionsWith(
      `{FunctionName: 'orders:live', Action: lambda:InvokeFunction, Principal: '${ACCOUNT}'}`,
    );
    const policy = JSON.parse(permissions.policyOf(fn) ?? '{}') as { Statement: Array<{ Resource: string }> };
    assert.equal(policy.Statement[0].Resource, `${fn}:live`);
  });
});
