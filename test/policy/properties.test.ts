/** Property tests: invariants of the decision logic over generated policies and requests. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { PolicyKind, PolicySets } from '../../src/policy/index.ts';
import { compilePolicy, DecisionMemo, evaluate, PolicyValidationError } from '../../src/policy/index.ts';

const A = '111122223333';
const B = '444455556666';

const action = fc.constantFrom(
  's3:GetObject',
  's3:PutObject',
  'dynamodb:PutItem',
  'dynamodb:GetItem',
  'kms:Decrypt',
);
const actionPattern = fc.constantFrom(
  's3:GetObject',
  's3:*',
  '*',
  'dynamodb:Get*',
  's3:?utObject',
  'DynamoDB:PutItem',
  'kms:*',
);
const resource = fc.constantFrom(
  'arn:aws:s3:::images/a.jpg',
  'arn:aws:s3:::logs/b.txt',
  `arn:aws:dynamodb:us-east-1:${A}:table/orders`,
  `arn:aws:kms:us-east-1:${A}:key/k1`,
);
const resourcePattern = fc.constantFrom(
  '*',
  'arn:aws:s3:::images/*',
  'arn:aws:s3:::*',
  `arn:aws:dynamodb:*:${A}:table/*`,
  'arn:aws:kms:*:*:key/*',
);
const principal = fc.constantFrom(
  `arn:aws:sts::${A}:assumed-role/order/fn`,
  `arn:aws:iam::${A}:user/alice`,
  `arn:aws:sts::${B}:assumed-role/partner/s`,
);
const principalElement = fc.constantFrom<unknown>(
  '*',
  { AWS: A },
  { AWS: `arn:aws:iam::${A}:role/order` },
  { AWS: `arn:aws:iam::${A}:user/alice` },
  { AWS: B },
);
const condition = fc.option(
  fc.constantFrom<Record<string, unknown>>(
    { StringEquals: { 'aws:SourceVpce': 'vpce-1' } },
    { StringNotEquals: { 'aws:SourceVpce': ['vpce-1', 'vpce-2'] } },
    { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
    { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
    { Bool: { 'aws:SecureTransport': 'true' } },
    { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } },
    { StringLikeIfExists: { 'aws:SourceVpc': 'vpc-*' } },
    { Null: { 'aws:SourceVpce': 'true' } },
  ),
  { nil: undefined },
);
const context = fc.record(
  {
    'aws:SourceVpce': fc.constantFrom('vpce-1', 'vpce-2', 'vpce-3'),
    'aws:SourceVpc': fc.constantFrom('vpc-1', 'other'),
    'aws:SourceIp': fc.constantFrom('203.0.113.9', '198.51.100.1'),
    'aws:SecureTransport': fc.constantFrom('true', 'false'),
    'aws:TagKeys': fc.constantFrom(['env'], ['env', 'team'], []),
  },
  { requiredKeys: [] },
);

function statement(withPrincipal: boolean) {
  return fc
    .record({
      Effect: fc.constantFrom('Allow', 'Deny'),
      Action: fc.array(actionPattern, { minLength: 1, maxLength: 3 }),
      Resource: fc.array(resourcePattern, { minLength: 1, maxLength: 2 }),
      Principal: principalElement,
      Condition: condition,
    })
    .map((s) => {
      const out: Record<string, unknown> = { Effect: s.Effect, Action: s.Action, Resource: s.Resource };
      if (withPrincipal) out.Principal = s.Principal;
      if (s.Condition) out.Condition = s.Condition;
      return out;
    });
}
const doc = (withPrincipal: boolean) =>
  fc
    .array(statement(withPrincipal), { minLength: 1, maxLength: 5 })
    .map((Statement) => ({ Version: '2012-10-17', Statement }));

const scenario = fc.record({
  principal,
  action,
  resource,
  context,
  identity: fc.array(doc(false), { maxLength: 2 }),
  resourcePolicy: fc.option(doc(true), { nil: undefined }),
  endpoint: fc.option(doc(true), { nil: undefined }),
  scp: fc.option(doc(false), { nil: undefined }),
  boundary: fc.option(doc(false), { nil: undefined }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;
type Doc = { Version: string; Statement: Record<string, unknown>[] };

function compileAll(s: Scenario, transform: (d: Doc) => Doc = (d) => d): PolicySets {
  const c = (d: Doc, name: string, kind: PolicyKind) => compilePolicy(transform(d), name, kind);
  return {
    identity: s.identity.map((d, i) => c(d, `identity-${i}`, 'identity')),
    resource: s.resourcePolicy ? c(s.resourcePolicy, 'resource', 'resource') : undefined,
    endpoints: s.endpoint ? [c(s.endpoint, 'endpoint', 'endpoint')] : undefined,
    scps: s.scp ? [c(s.scp, 'scp', 'scp')] : undefined,
    boundaries: s.boundary ? [c(s.boundary, 'boundary', 'boundary')] : undefined,
  };
}
const decide = (s: Scenario, sets: PolicySets) =>
  evaluate({ principal: s.principal, action: s.action, resource: s.resource, context: s.context }, sets);

const runs = { numRuns: 400 };

test('adding a Deny statement never turns a denial into an allow', () => {
  fc.assert(
    fc.property(scenario, statement(false), fc.nat(), (s, extra, which) => {
      const before = decide(s, compileAll(s));
      const deny = { ...extra, Effect: 'Deny' };
      const withDeny: Scenario = {
        ...s,
        identity: s.identity.length
          ? s.identity.map((d, i) =>
              i === which % s.identity.length ? { ...d, Statement: [...d.Statement, deny] } : d,
            )
          : [{ Version: '2012-10-17', Statement: [deny] }],
      };
      const after = decide(withDeny, compileAll(withDeny));
      if (before.decision !== 'allowed') assert.notEqual(after.decision, 'allowed');
      if (before.decision === 'explicit-deny') assert.equal(after.decision, 'explicit-deny');
    }),
    runs,
  );
});

test('an allow always comes with at least one matching Allow statement, and never with a matching Deny', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const d = decide(s, compileAll(s));
      if (d.decision === 'allowed') {
        assert.ok(d.matched.some((m) => m.effect === 'Allow'));
        assert.ok(!d.matched.some((m) => m.effect === 'Deny'));
        assert.deepEqual(d.blockedBy, []);
      } else {
        assert.ok(d.blockedBy.length > 0, 'a denial names what blocked it');
      }
      if (d.decision === 'explicit-deny') assert.ok(d.matched.some((m) => m.effect === 'Deny'));
    }),
    runs,
  );
});

test('statement order never matters', () => {
  fc.assert(
    fc.property(scenario, fc.integer(), (s, seed) => {
      const shuffle = (d: Doc): Doc => {
        const st = [...d.Statement];
        let x = Math.abs(seed) + 1;
        for (let i = st.length - 1; i > 0; i--) {
          x = (x * 1103515245 + 12345) % 2147483648;
          const j = x % (i + 1);
          [st[i], st[j]] = [st[j], st[i]];
        }
        return { ...d, Statement: st };
      };
      const a = decide(s, compileAll(s));
      const b = decide(s, compileAll(s, shuffle));
      assert.equal(a.decision, b.decision);
      assert.deepEqual(a.blockedBy, b.blockedBy);
      assert.equal(a.matched.length, b.matched.length);
    }),
    runs,
  );
});

test('a policy round-tripped through JSON.stringify decides the same', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const a = decide(s, compileAll(s));
      const b = decide(
        s,
        compileAll(s, (d) => JSON.parse(JSON.stringify(d)) as Doc),
      );
      assert.deepEqual(a, b);
    }),
    runs,
  );
});

test('an invalid document never evaluates: it fails to compile', () => {
  const badStatement = fc.oneof(
    fc.record({
      Effect: fc.string().filter((e) => e !== 'Allow' && e !== 'Deny'),
      Action: fc.constant('s3:*'),
      Resource: fc.constant('*'),
    }),
    fc.record({ Effect: fc.constant('Allow'), Action: fc.constant('s3:*') }),
    fc.record({ Effect: fc.constant('Allow'), Resource: fc.constant('*') }),
    fc.record({
      Effect: fc.constant('Allow'),
      Action: fc.constant('s3:*'),
      Resource: fc.constant('*'),
      Condition: fc.constant({ StringEqualsMaybe: { k: 'v' } }),
    }),
    fc.record({
      Effect: fc.constant('Allow'),
      Action: fc.constant('s3:*'),
      Resource: fc.constant('*'),
      Bogus: fc.anything(),
    }),
  );
  fc.assert(
    fc.property(fc.array(statement(false), { maxLength: 3 }), badStatement, fc.nat(), (good, bad, at) => {
      const list = [...good];
      list.splice(at % (list.length + 1), 0, bad as Record<string, unknown>);
      assert.throws(
        () => compilePolicy({ Version: '2012-10-17', Statement: list }, 'p', 'identity'),
        PolicyValidationError,
      );
    }),
    runs,
  );
});

test('DecisionMemo decides every request of a stream exactly as evaluate does', () => {
  const request = fc.record({ principal, action, resource, context });
  fc.assert(
    fc.property(scenario, fc.array(request, { minLength: 1, maxLength: 12 }), (s, stream) => {
      const sets = compileAll(s);
      const memo = new DecisionMemo();
      // Each request twice: once to fill the memo, once to read it back.
      for (const r of [...stream, ...stream]) {
        const fresh = evaluate(r, sets);
        assert.deepEqual(memo.evaluate(r, sets), fresh, JSON.stringify(r));
      }
    }),
    runs,
  );
});
