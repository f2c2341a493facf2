/**
 * The evaluator's fast paths against plain references: prefix tests without startsWith, ARN
 * checks without splitting, static ARN patterns that ignore the parsed ARN, the lowered-key memo
 * and key-layout cache of the request context, the per-action statement index, the memos of
 * buildContext and the shared matched-statement entries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { PolicySets, RawContext, RequestFacts } from '../../src/policy/index.ts';
import { buildContext, compilePolicy, evaluate } from '../../src/policy/index.ts';
import type { CompiledPolicy } from '../../src/policy/compile.ts';
import { compileArnPattern, isArn, parseArn } from '../../src/policy/arn.ts';
import { compileGlob, prefixMatcher } from '../../src/policy/wildcard.ts';
import { normalizeContext } from '../../src/policy/request-context.ts';

const runs = { numRuns: 500 };
/** Characters that matter to the matchers: separators, wildcards, regex syntax, case, non-ASCII. */
const tricky = fc.constantFrom(
  'a',
  'B',
  ':',
  '/',
  '*',
  '?',
  '.',
  '$',
  '^',
  '(',
  '[',
  '\\',
  '\n',
  'é',
  'İ',
  '-',
);
const text = fc.oneof(
  fc.string({ unit: tricky, maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

test('prefixMatcher is startsWith', () => {
  fc.assert(
    fc.property(text, text, text, (prefix, rest, other) => {
      const m = prefixMatcher(prefix);
      assert.equal(m(prefix + rest), true);
      assert.equal(m(other), other.startsWith(prefix), JSON.stringify({ prefix, other }));
    }),
    runs,
  );
});

/** Reference glob: `*` any run, `?` one character, everything else literal. */
function globReference(pattern: string, value: string, ignoreCase = false): boolean {
  const source = [...pattern]
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  const fold = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  return new RegExp(`^${fold(source)}$`, 's').test(fold(value));
}

test('compiled globs (exact, prefix, suffix, regex; with and without case folding) match the reference', () => {
  fc.assert(
    fc.property(text, text, fc.boolean(), (pattern, value, ignoreCase) => {
      assert.equal(
        compileGlob(pattern, ignoreCase)(value),
        globReference(pattern, value, ignoreCase),
        JSON.stringify({ pattern, value, ignoreCase }),
      );
      // A value built to match must match.
      const matching = pattern.replace(/\*/g, 'xy').replace(/\?/g, 'z');
      assert.equal(compileGlob(pattern, ignoreCase)(matching), true);
    }),
    runs,
  );
});

// "İ" lowers to two code units ("i" + a combining dot), which the regex `i` flag does not do: every
// compiled form must fold the way the exact/prefix/suffix forms do.
const foldingCases: [pattern: string, value: string, expected: boolean][] = [
  ['İ', 'i̇', true], // exact
  ['İ*', 'i̇x', true], // prefix
  ['*İ', 'xİ', true], // suffix
  ['a*İ*b', 'AxİyB', true], // general
  ['a*İ*b', 'Axiyb', false],
  ['a?İ?b', 'a-i̇-b', true],
];
for (const [pattern, value, expected] of foldingCases) {
  test(`case-folded glob ${JSON.stringify(pattern)} against ${JSON.stringify(value)}: ${expected}`, () => {
    assert.equal(compileGlob(pattern, true)(value), expected);
    assert.equal(globReference(pattern, value, true), expected);
  });
}

const arnish = fc.string({ unit: fc.constantFrom('a', 'r', 'n', ':', '/', '*', 'x'), maxLength: 14 });

test('isArn is parseArn succeeding', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        arnish,
        text,
        arnish.map((s) => `arn:${s}`),
      ),
      (v) => {
        assert.equal(isArn(v), parseArn(v) !== undefined, JSON.stringify(v));
      },
    ),
    runs,
  );
});

/** Reference for patterns without variables: part by part, `*`/`?` never crossing a `:` of the head. */
function arnReference(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  const pieces = pattern.split(':');
  if (pieces.length < 6 || pieces[0] !== 'arn') return false;
  const resourcePattern = pieces.slice(5).join(':');
  const arn = parseArn(value);
  if (!arn) return false;
  const parts = [arn.partition, arn.service, arn.region, arn.account];
  return (
    parts.every((part, i) => globReference(pieces[i + 1], part)) &&
    globReference(resourcePattern, arn.resource)
  );
}

const segment = fc.string({ unit: fc.constantFrom('a', 'b', '*', '?', '-'), maxLength: 3 });
const resourcePart = fc.string({ unit: fc.constantFrom('a', 'b', '*', '?', '/', ':'), maxLength: 6 });
const arnPattern = fc.oneof(
  fc.tuple(segment, segment, segment, segment, resourcePart).map((p) => `arn:${p.join(':')}`),
  fc.constant('*'),
  arnish,
);
const arnValue = fc.oneof(
  fc
    .tuple(fc.constantFrom('a', 'b', 'ab', ''), fc.constantFrom('a', 'b', ''), resourcePart)
    .map(([p, s, r]) => `arn:${p}:${s}:${p}:${s}:${r}`),
  arnish,
);

test('static ARN patterns match the part-by-part reference, whether or not the parsed ARN is given', () => {
  fc.assert(
    fc.property(arnPattern, arnValue, (pattern, value) => {
      const m = compileArnPattern(pattern, false);
      const expected = arnReference(pattern, value);
      const why = JSON.stringify({ pattern, value });
      const parsed = parseArn(value);
      // Evaluation hands matchers the parsed resource (undefined for a non-ARN resource).
      assert.equal(m(value, parsed, undefined), expected, why);
      if (pattern !== '*') assert.equal(m(value, undefined, undefined), expected, why);
    }),
    runs,
  );
});

test('ArnLike without variables tests the raw value: non-ARNs never match, even `*`', () => {
  const policy = compilePolicy(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: '*',
          Condition: { ArnLike: { 'aws:SourceArn': ['*', 'arn:aws:s3:::b*'] } },
        },
      ],
    },
    'p',
    'identity',
  );
  const decide = (sourceArn: string) =>
    evaluate(
      {
        principal: 'arn:aws:iam::111122223333:user/u',
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/k',
        context: { 'aws:SourceArn': sourceArn },
      },
      { identity: [policy] },
    ).decision;
  assert.equal(decide('arn:aws:s3:::anything'), 'allowed');
  assert.equal(decide('not-an-arn'), 'implicit-deny');
  assert.equal(decide('arn:aws:s3::'), 'implicit-deny', 'four parts: not an ARN');
});

/** Reference context normalization: keys lowered in key order (later wins), values as strings. */
function contextReference(raw: RawContext, lowerKey: string): readonly string[] | undefined {
  let found: readonly string[] | undefined;
  for (const key of Object.keys(raw)) {
    if (key.toLowerCase() !== lowerKey) continue;
    const v = raw[key];
    found = typeof v === 'object' ? v.map(String) : [String(v)];
  }
  return found === undefined || found.length === 0 ? undefined : found;
}

const contextKey = fc.constantFrom(
  'aws:SourceVpce',
  'AWS:SOURCEVPCE',
  'aws:sourcevpce',
  'aws:SourceIp',
  // Same length, different keys: a layout cache comparing anything less than the keys would mix them up.
  'aws:SourceVpc',
  'aws:SourceArn',
  'aws:PrincipalTag/Team',
  'aws:principaltag/team',
  'aws:TagKeys',
  'kms:EncryptionContext:İd',
);
const contextValue = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.boolean()), { maxLength: 3 }),
);
const rawContext = fc.dictionary(contextKey, contextValue, { maxKeys: 6 });

test('the request context (lowered-key memo, key-layout cache) reads keys as the reference does', () => {
  fc.assert(
    fc.property(fc.array(rawContext, { minLength: 1, maxLength: 12 }), (contexts) => {
      // Several contexts in a row, most with the same keys: the layout cache is exercised.
      for (const raw of contexts) {
        const ctx = normalizeContext(raw);
        for (const key of [
          'aws:sourcevpce',
          'aws:sourceip',
          'aws:sourcevpc',
          'aws:sourcearn',
          'aws:principaltag/team',
          'aws:tagkeys',
          'absent',
        ]) {
          const expected = contextReference(raw, key);
          assert.deepEqual(ctx.get(key), expected, JSON.stringify({ raw, key }));
          const value = ctx.value(key);
          assert.deepEqual(typeof value === 'string' ? [value] : value, expected);
        }
        const special = 'kms:EncryptionContext:İd'.toLowerCase();
        assert.deepEqual(ctx.get(special), contextReference(raw, special));
      }
    }),
    runs,
  );
});

test('two contexts with the same keys in another order are not confused', () => {
  const a = normalizeContext({ 'aws:SourceVpce': 'first', 'AWS:SOURCEVPCE': 'second' });
  const b = normalizeContext({ 'AWS:SOURCEVPCE': 'second', 'aws:SourceVpce': 'first' });
  assert.deepEqual(a.get('aws:sourcevpce'), ['second']);
  assert.deepEqual(b.get('aws:sourcevpce'), ['first']);
});

// --- The per-action statement index against a plain scan ---------------------------------------
const actionPattern = fc.constantFrom(
  's3:GetObject',
  's3:*',
  '*',
  's3:Get*',
  'S3:?etObject',
  'dynamodb:GetItem',
  'DynamoDB:*',
  'kms:Decrypt',
);
const indexedStatement = fc.record({
  Effect: fc.constantFrom('Allow', 'Deny'),
  actions: fc.array(actionPattern, { minLength: 1, maxLength: 3 }),
  not: fc.boolean(),
  Resource: fc.constantFrom('*', 'arn:aws:s3:::b/*', 'arn:aws:dynamodb:*:*:table/t'),
  Principal: fc.constantFrom<unknown>(
    '*',
    { AWS: '111122223333' },
    { AWS: 'arn:aws:iam::111122223333:role/r' },
  ),
});
const indexedPolicy = fc.array(indexedStatement, { minLength: 1, maxLength: 6 }).map((statements) => ({
  Version: '2012-10-17',
  Statement: statements.map((s) => ({
    Effect: s.Effect,
    [s.not ? 'NotAction' : 'Action']: s.actions,
    Resource: s.Resource,
    Principal: s.Principal,
  })),
}));
const requestAction = fc.constantFrom(
  's3:GetObject',
  's3:PutObject',
  'S3:GETOBJECT',
  'dynamodb:GetItem',
  'kms:Decrypt',
);

/** The same policy without its index: every statement is scanned and action-matched. */
function unindexed(policy: CompiledPolicy): CompiledPolicy {
  const scan = (lowerAction: string) => policy.statements.filter((s) => s.matchAction(lowerAction));
  return { ...policy, statementsFor: () => policy.statements, statementsForAction: scan };
}

test('the per-action statement index lists exactly the statements a plain scan matches', () => {
  fc.assert(
    fc.property(indexedPolicy, requestAction, (doc, action) => {
      const policy = compilePolicy(doc, 'p', 'resource');
      const lower = action.toLowerCase();
      assert.deepEqual(
        policy.statementsForAction(lower).map((s) => s.index),
        policy.statements.filter((s) => s.matchAction(lower)).map((s) => s.index),
      );
    }),
    runs,
  );
});

test('decisions through the index equal decisions from a plain scan', () => {
  fc.assert(
    fc.property(indexedPolicy, indexedPolicy, indexedPolicy, requestAction, (id, res, ep, action) => {
      const strip = (d: typeof id) => ({
        ...d,
        Statement: d.Statement.map(({ Principal: _omitted, ...rest }) => rest),
      });
      const identity = compilePolicy(strip(id), 'identity', 'identity');
      const resource = compilePolicy(res, 'resource', 'resource');
      const endpoint = compilePolicy(ep, 'endpoint', 'endpoint');
      const sets: PolicySets = { identity: [identity], resource, endpoints: [endpoint] };
      const plain: PolicySets = {
        identity: [unindexed(identity)],
        resource: unindexed(resource),
        endpoints: [unindexed(endpoint)],
      };
      for (const target of ['arn:aws:s3:::b/k', 'arn:aws:dynamodb:us-east-1:111122223333:table/t']) {
        const request = { principal: 'arn:aws:sts::111122223333:assumed-role/r/s', action, resource: target };
        assert.deepEqual(evaluate(request, sets), evaluate(request, plain));
      }
    }),
    runs,
  );
});

test('matched-statement entries are shared and frozen: no decision can change another', () => {
  const policy = compilePolicy(
    { Version: '2012-10-17', Statement: [{ Sid: 'A', Effect: 'Allow', Action: '*', Resource: '*' }] },
    'p',
    'identity',
  );
  const request = { principal: 'arn:aws:iam::111122223333:user/u', action: 's3:GetObject', resource: '*' };
  const first = evaluate(request, { identity: [policy] });
  assert.deepEqual(first.matched, [{ policy: 'p', statement: 0, sid: 'A', effect: 'Allow' }]);
  assert.throws(() => {
    (first.matched[0] as { effect: string }).effect = 'Deny';
  }, TypeError);
  assert.equal(evaluate(request, { identity: [policy] }).matched[0].effect, 'Allow');
});

// --- buildContext's memos ----------------------------------------------------------------------
const ROLE_A = 'arn:aws:iam::111122223333:role/path/app';
const ROLE_B = 'arn:aws:iam::111122223333:role/other/app';
const factsVariant = fc.record({
  principalArn: fc.constantFrom(
    'arn:aws:sts::111122223333:assumed-role/app/fn',
    'arn:aws:iam::111122223333:user/alice',
    'arn:aws:iam::111122223333:role/app',
    'arn:aws:iam::111122223333:root',
    'arn:aws-cn:sts::111122223333:federated-user/bob',
  ),
  principalAccount: fc.constantFrom('111122223333', '444455556666'),
  principalRoleArn: fc.constantFrom(ROLE_A, ROLE_B, undefined),
  principalId: fc.constantFrom('AROAEXAMPLE', undefined),
  viaService: fc.constantFrom('secretsmanager.amazonaws.com', 's3.amazonaws.com', undefined),
  region: fc.constantFrom('us-east-1', 'eu-west-1'),
  service: fc.constantFrom('kms', 's3'),
});

test('buildContext gives the same context for the same facts whatever came before (memos keyed right)', () => {
  fc.assert(
    fc.property(fc.array(factsVariant, { minLength: 2, maxLength: 10 }), (variants) => {
      const facts = variants.map((v): RequestFacts => ({
        ...v,
        action: `${v.service}:Do`,
        resource: `arn:aws:${v.service}:${v.region}:111122223333:thing/x`,
        secureTransport: true,
        now: new Date('2026-01-01T00:00:00Z'),
        path: { kind: 'interface-endpoint', vpcEndpointId: 'vpce-1', vpcId: 'vpc-1' },
      }));
      const first = facts.map((f) => buildContext(f));
      for (let i = facts.length - 1; i >= 0; i--) assert.deepEqual(buildContext(facts[i]), first[i]);
      for (const [i, f] of facts.entries()) {
        const ctx = first[i];
        if (f.principalId !== undefined && f.principalArn.includes(':assumed-role/'))
          assert.equal(ctx['aws:userid'], `${f.principalId}:fn`);
        if (f.principalRoleArn !== undefined && f.principalArn.includes(':assumed-role/'))
          assert.equal(ctx['aws:PrincipalArn'], f.principalRoleArn);
        if (f.principalArn.endsWith(':root')) assert.equal(ctx['aws:userid'], f.principalAccount);
        if (f.viaService !== undefined && f.service === 'kms')
          assert.equal(ctx['kms:ViaService'], `${f.viaService.split('.')[0]}.${f.region}.amazonaws.com`);
      }
    }),
    runs,
  );
});
