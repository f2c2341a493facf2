/** DecisionMemo: a remembered decision is reused only when evaluating again could not differ. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuthorizationRequest, DecisionKind, PolicySets } from '../../src/policy/index.ts';
import { compilePolicy, DecisionMemo, evaluate } from '../../src/policy/index.ts';

const A = '111122223333';
const ROLE = `arn:aws:sts::${A}:assumed-role/product/fn`;
const OBJECT = 'arn:aws:s3:::images/a.jpg';

const identity = (statement: Record<string, unknown>) => [
  compilePolicy({ Version: '2012-10-17', Statement: [statement] }, 'identity', 'identity'),
];
const resource = (statement: Record<string, unknown>) =>
  compilePolicy({ Version: '2012-10-17', Statement: [statement] }, 'bucket', 'resource');
const endpoint = (statement: Record<string, unknown>) =>
  compilePolicy({ Version: '2012-10-17', Statement: [statement] }, 'vpce', 'endpoint');

const allowGet = identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });
const onlyVpce1 = resource({
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: '*',
  Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } },
});
const denyAll = resource({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' });
const endpointAllows = endpoint({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' });
const endpointDenies = endpoint({ Effect: 'Allow', Principal: '*', Action: 's3:PutObject', Resource: '*' });

interface Step {
  readonly context?: AuthorizationRequest['context'];
  readonly resource?: string;
  readonly sets: PolicySets;
  readonly expected: DecisionKind;
}

const cases: { name: string; steps: Step[] }[] = [
  {
    name: 'a condition key that changes value is decided again',
    steps: [
      {
        context: { 'aws:SourceVpce': 'vpce-1' },
        sets: { identity: allowGet, resource: onlyVpce1 },
        expected: 'allowed',
      },
      {
        context: { 'aws:SourceVpce': 'vpce-2' },
        sets: { identity: allowGet, resource: onlyVpce1 },
        expected: 'explicit-deny',
      },
      {
        context: { 'aws:SourceVpce': 'vpce-1' },
        sets: { identity: allowGet, resource: onlyVpce1 },
        expected: 'allowed',
      },
    ],
  },
  {
    name: 'a key absent, then present',
    steps: [
      { context: {}, sets: { identity: allowGet, resource: onlyVpce1 }, expected: 'explicit-deny' },
      {
        context: { 'aws:SourceVpce': 'vpce-1' },
        sets: { identity: allowGet, resource: onlyVpce1 },
        expected: 'allowed',
      },
    ],
  },
  {
    name: 'a changed resource policy (a new compiled object) is decided again',
    steps: [
      {
        context: { 'aws:SourceVpce': 'vpce-1' },
        sets: { identity: allowGet, resource: onlyVpce1 },
        expected: 'allowed',
      },
      {
        context: { 'aws:SourceVpce': 'vpce-1' },
        sets: { identity: allowGet, resource: denyAll },
        expected: 'explicit-deny',
      },
    ],
  },
  {
    name: 'another endpoint policy is decided again',
    steps: [
      { sets: { identity: allowGet, endpoints: [endpointAllows] }, expected: 'allowed' },
      { sets: { identity: allowGet, endpoints: [endpointDenies] }, expected: 'implicit-deny' },
      { sets: { identity: allowGet }, expected: 'allowed' },
    ],
  },
  {
    name: 'a condition on the clock follows the clock',
    steps: [
      ...['2025-12-31T23:59:59Z', '2026-01-01T00:00:01Z', '2025-06-01T00:00:00Z'].map((time, i) => ({
        context: { 'aws:CurrentTime': time },
        sets: {
          identity: identity({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: '*',
            Condition: { DateLessThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } },
          }),
        },
        expected: (i === 1 ? 'implicit-deny' : 'allowed') as DecisionKind,
      })),
    ],
  },
  {
    name: 'a policy variable in Resource reads the context',
    steps: ['alice', 'bob', 'alice'].map((user) => ({
      context: { 'aws:username': user },
      resource: 'arn:aws:s3:::home/alice/notes.txt',
      sets: {
        identity: identity({
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::home/${aws:username}/*',
        }),
      },
      expected: (user === 'alice' ? 'allowed' : 'implicit-deny') as DecisionKind,
    })),
  },
];

for (const { name, steps } of cases) {
  test(`DecisionMemo: ${name}`, () => {
    const memo = new DecisionMemo();
    for (const [i, step] of steps.entries()) {
      const request = {
        principal: ROLE,
        action: 's3:GetObject',
        resource: step.resource ?? OBJECT,
        context: step.context,
      };
      const decision = memo.evaluate(request, step.sets);
      assert.equal(decision.decision, step.expected, `step ${i + 1}`);
      assert.deepEqual(decision, evaluate(request, step.sets), `step ${i + 1}: as evaluate decides`);
    }
  });
}

test('DecisionMemo: a repeated request reuses the decision, with the caller building fresh arrays each time', () => {
  const memo = new DecisionMemo();
  const request = () => ({
    principal: ROLE,
    action: 's3:GetObject',
    resource: OBJECT,
    context: { 'aws:SourceVpce': 'vpce-1' },
  });
  const sets = () => ({ identity: [...allowGet], resource: onlyVpce1, endpoints: [endpointAllows] });
  const first = memo.evaluate(request(), sets());
  assert.equal(first.decision, 'allowed');
  assert.equal(memo.evaluate(request(), sets()), first, 'the same Decision object: not evaluated again');
  assert.equal(memo.size, 1);
});
