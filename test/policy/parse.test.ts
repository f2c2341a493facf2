import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePolicy, PolicyValidationError } from '../../src/policy/index.ts';
import type { PolicyKind } from '../../src/policy/index.ts';

const ok = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };

const invalid: [string, PolicyKind, unknown, RegExp][] = [
  ['not an object', 'identity', 42, /must be a JSON object/],
  ['bad JSON string', 'identity', '{nope', /not valid JSON/],
  [
    'unknown top-level element',
    'identity',
    { Version: '2012-10-17', Statement: [ok], Extra: 1 },
    /unknown element "Extra"/,
  ],
  ['bad version', 'identity', { Version: '2020-01-01', Statement: [ok] }, /\/Version.*Version must be/],
  ['missing Statement', 'identity', { Version: '2012-10-17' }, /Statement is required/],
  [
    'lower-case effect',
    'identity',
    { Statement: [{ ...ok, Effect: 'allow' }] },
    /statement 0, field \/Statement\/0\/Effect: Effect must be "Allow" or "Deny"/,
  ],
  [
    'both Action and NotAction',
    'identity',
    { Statement: [{ ...ok, NotAction: 's3:*' }] },
    /exactly one of Action or NotAction/,
  ],
  [
    'no Action',
    'identity',
    { Statement: [{ Effect: 'Allow', Resource: '*' }] },
    /exactly one of Action or NotAction/,
  ],
  [
    'bad action',
    'identity',
    { Statement: [{ ...ok, Action: 'getobject' }] },
    /\/Statement\/0\/Action\/0.*not an action/,
  ],
  [
    'no Resource',
    'identity',
    { Statement: [{ Effect: 'Allow', Action: '*' }] },
    /exactly one of Resource or NotResource/,
  ],
  ['bad resource', 'identity', { Statement: [{ ...ok, Resource: 'bucket' }] }, /not an ARN/],
  [
    'principal in identity policy',
    'identity',
    { Statement: [{ ...ok, Principal: '*' }] },
    /must not name a principal/,
  ],
  [
    'no principal in resource policy',
    'resource',
    { Statement: [ok] },
    /needs exactly one of Principal or NotPrincipal/,
  ],
  [
    'unknown principal type',
    'resource',
    { Statement: [{ ...ok, Principal: { Aws: 'x' } }] },
    /unknown principal type "Aws"/,
  ],
  [
    'bad AWS principal',
    'resource',
    { Statement: [{ ...ok, Principal: { AWS: 'alice' } }] },
    /not an account id/,
  ],
  [
    'unknown operator',
    'identity',
    { Statement: [{ ...ok, Sid: 'S1', Condition: { StringEqualz: { k: 'v' } } }] },
    /\(Sid "S1"\).*Condition\/StringEqualz\/k: unknown condition operator/,
  ],
  [
    'bad IP',
    'identity',
    { Statement: [{ ...ok, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/99' } } }] },
    /not an IP address/,
  ],
  [
    'object as condition value',
    'identity',
    { Statement: [{ ...ok, Condition: { StringEquals: { k: { a: 1 } } } }] },
    /condition values must be strings/,
  ],
  [
    'unterminated variable',
    'identity',
    { Version: '2012-10-17', Statement: [{ ...ok, Resource: 'arn:aws:s3:::${aws:username' }] },
    /unterminated policy variable/,
  ],
  [
    'unknown statement element',
    'identity',
    { Statement: [{ ...ok, Effects: 'Allow' }] },
    /unknown element "Effects"/,
  ],
  ['empty Action list', 'identity', { Statement: [{ ...ok, Action: [] }] }, /must not be empty/],
];

for (const [name, kind, doc, message] of invalid) {
  test(`invalid: ${name}`, () => {
    assert.throws(
      () => compilePolicy(doc, 'my-policy', kind),
      (error: unknown) =>
        error instanceof PolicyValidationError &&
        message.test(error.message) &&
        error.message.includes('"my-policy"'),
    );
  });
}

test('Statement may be a single object; Version defaults to 2008-10-17 (no variables)', () => {
  const p = compilePolicy({ Statement: ok }, 'p', 'identity');
  assert.equal(p.statements.length, 1);
  assert.equal(p.statements[0].effect, 'Allow');
});

test('a JSON string is accepted', () => {
  const p = compilePolicy(
    JSON.stringify({ Version: '2012-10-17', Statement: [ok, { ...ok, Sid: 'b' }] }),
    'p',
    'identity',
  );
  assert.equal(p.statements[1].sid, 'b');
});

test('the error carries statement index and Sid', () => {
  try {
    compilePolicy({ Statement: [ok, { ...ok, Sid: 'Second', Effect: 'Maybe' }] }, 'p', 'identity');
    assert.fail('expected an error');
  } catch (error) {
    assert.ok(error instanceof PolicyValidationError);
    assert.equal(error.statement, 1);
    assert.equal(error.sid, 'Second');
    assert.equal(error.pointer, '/Statement/1/Effect');
  }
});
