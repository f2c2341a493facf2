import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompiledPolicy, DecisionKind, PolicySets } from '../../src/policy/index.ts';
import { compilePolicy, evaluate } from '../../src/policy/index.ts';
import { expandExecuteApiShorthand } from '../../src/policy/api-gateway.ts';

// Tables A and B of "How API Gateway resource policies affect authorization workflow":
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html
const A = '111122223333';
const B = '444455556666';
const API = `arn:aws:execute-api:us-east-1:${A}:abc123`;
const INVOKE = `${API}/prod/GET/orders`;

type Side = 'allow' | 'neither' | 'deny';
function identity(side: Side): CompiledPolicy[] {
  if (side === 'neither') return [];
  return [
    compilePolicy(
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: side === 'allow' ? 'Allow' : 'Deny', Action: 'execute-api:Invoke', Resource: '*' },
        ],
      },
      'identity',
      'identity',
    ),
  ];
}
function resource(side: Side, principal: unknown): CompiledPolicy | null {
  if (side === 'neither')
    return compilePolicy(
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/other/*' },
        ],
      },
      'resource',
      'resource',
      { apiArn: API },
    );
  return compilePolicy(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: side === 'allow' ? 'Allow' : 'Deny',
          Principal: principal,
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/prod/*',
        },
      ],
    },
    'resource',
    'resource',
    { apiArn: API },
  );
}

const TABLE_A: [Side, Side, DecisionKind][] = [
  ['allow', 'allow', 'allowed'],
  ['allow', 'neither', 'allowed'],
  ['allow', 'deny', 'explicit-deny'],
  ['neither', 'allow', 'allowed'],
  ['neither', 'neither', 'implicit-deny'],
  ['neither', 'deny', 'explicit-deny'],
  ['deny', 'allow', 'explicit-deny'],
  ['deny', 'neither', 'explicit-deny'],
  ['deny', 'deny', 'explicit-deny'],
];
for (const [iam, rp, expected] of TABLE_A) {
  test(`API Gateway table A (same account, IAM auth): IAM ${iam} + resource ${rp} → ${expected}`, () => {
    const caller = `arn:aws:sts::${A}:assumed-role/web/s`;
    const sets: PolicySets = {
      identity: identity(iam),
      resource: resource(rp, { AWS: `arn:aws:iam::${A}:role/web` }),
      apiGateway: { authorization: 'iam' },
    };
    assert.equal(
      evaluate({ principal: caller, action: 'execute-api:Invoke', resource: INVOKE }, sets).decision,
      expected,
    );
  });
}

const TABLE_B: [Side, Side, DecisionKind][] = [
  ['allow', 'allow', 'allowed'],
  ['allow', 'neither', 'implicit-deny'],
  ['allow', 'deny', 'explicit-deny'],
  ['neither', 'allow', 'implicit-deny'],
  ['neither', 'neither', 'implicit-deny'],
  ['neither', 'deny', 'explicit-deny'],
  ['deny', 'allow', 'explicit-deny'],
  ['deny', 'neither', 'explicit-deny'],
  ['deny', 'deny', 'explicit-deny'],
];
for (const [iam, rp, expected] of TABLE_B) {
  test(`API Gateway table B (cross account, IAM auth): IAM ${iam} + resource ${rp} → ${expected}`, () => {
    const caller = `arn:aws:sts::${B}:assumed-role/partner/s`;
    const sets: PolicySets = {
      identity: identity(iam),
      resource: resource(rp, { AWS: `arn:aws:iam::${B}:root` }),
      apiGateway: { authorization: 'iam' },
    };
    assert.equal(
      evaluate({ principal: caller, action: 'execute-api:Invoke', resource: INVOKE }, sets).decision,
      expected,
    );
  });
}

test('no authorization: only an explicit allow in the resource policy lets a caller in', () => {
  const sets = (rp: Side): PolicySets => ({
    identity: identity('allow'),
    resource: resource(rp, '*'),
    apiGateway: { authorization: 'none' },
  });
  const call = (s: PolicySets) =>
    evaluate({ principal: 'anonymous', action: 'execute-api:Invoke', resource: INVOKE }, s);
  assert.equal(call(sets('allow')).decision, 'allowed');
  assert.deepEqual(call(sets('neither')).blockedBy, ['resource']);
  assert.equal(call(sets('deny')).decision, 'explicit-deny');
  // Identity policies do not count: the caller is not authenticated.
  assert.equal(
    call({ identity: identity('allow'), apiGateway: { authorization: 'none' } }).decision,
    'implicit-deny',
  );
});

test('private API: no resource policy, no access — even with an identity allow', () => {
  const caller = `arn:aws:sts::${A}:assumed-role/web/s`;
  const d = evaluate(
    { principal: caller, action: 'execute-api:Invoke', resource: INVOKE },
    { identity: identity('allow'), apiGateway: { authorization: 'iam', private: true } },
  );
  assert.deepEqual([d.decision, d.blockedBy], ['implicit-deny', ['resource']]);
});

test('execute-api shorthand expansion', () => {
  assert.equal(expandExecuteApiShorthand('execute-api:/prod/GET/orders', API), `${API}/prod/GET/orders`);
  assert.equal(expandExecuteApiShorthand('execute-api:/*', undefined), 'arn:*:execute-api:*:*:*/*');
  assert.equal(expandExecuteApiShorthand('arn:aws:s3:::b', API), 'arn:aws:s3:::b');
  const rp = compilePolicy(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/prod/GET/*',
        },
      ],
    },
    'rp',
    'resource',
  );
  const call = (r: string) =>
    evaluate(
      { principal: 'anonymous', action: 'execute-api:Invoke', resource: r },
      { resource: rp, apiGateway: { authorization: 'none' } },
    ).decision;
  assert.equal(call(INVOKE), 'allowed');
  assert.equal(call(`${API}/prod/POST/orders`), 'implicit-deny');
});
