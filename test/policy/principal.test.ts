import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePrincipal, parseRequestPrincipal } from '../../src/policy/principal.ts';
import type { PrincipalMatch, PrincipalValue } from '../../src/policy/principal.ts';

const A = '111122223333';
const SESSION = `arn:aws:sts::${A}:assumed-role/order/fn`;

test('request principals are classified', () => {
  assert.deepEqual(parseRequestPrincipal(SESSION), {
    raw: SESSION,
    type: 'assumed-role',
    account: A,
    roleName: 'order',
  });
  assert.equal(parseRequestPrincipal(`arn:aws:iam::${A}:role/app/order`).roleName, 'order');
  assert.equal(parseRequestPrincipal(`arn:aws:iam::${A}:user/alice`).type, 'user');
  assert.equal(parseRequestPrincipal(`arn:aws:iam::${A}:root`).type, 'root');
  assert.equal(parseRequestPrincipal(`arn:aws:sts::${A}:federated-user/bob`).type, 'federated-user');
  assert.equal(parseRequestPrincipal('lambda.amazonaws.com').type, 'service');
  assert.equal(parseRequestPrincipal('anonymous').type, 'anonymous');
  assert.equal(parseRequestPrincipal('*').type, 'anonymous');
});

const rows: [PrincipalValue, string, PrincipalMatch][] = [
  ['*', SESSION, 'any'],
  [{ AWS: '*' }, 'anonymous', 'any'],
  [{ AWS: A }, SESSION, 'account'],
  [{ AWS: `arn:aws:iam::${A}:root` }, SESSION, 'account'],
  [{ AWS: A }, 'anonymous', 'none'],
  [{ AWS: '444455556666' }, SESSION, 'none'],
  [{ AWS: `arn:aws:iam::${A}:role/service-role/order` }, SESSION, 'role'],
  [{ AWS: `arn:aws:iam::${A}:role/order` }, `arn:aws:iam::${A}:role/app/order`, 'role'],
  [{ AWS: `arn:aws:iam::${A}:role/payment` }, SESSION, 'none'],
  [{ AWS: SESSION }, SESSION, 'session'],
  [{ AWS: `arn:aws:sts::${A}:assumed-role/order/other` }, SESSION, 'none'],
  [{ AWS: `arn:aws:iam::${A}:user/alice` }, `arn:aws:iam::${A}:user/alice`, 'user'],
  [{ AWS: [A, `arn:aws:iam::${A}:user/alice`] }, `arn:aws:iam::${A}:user/alice`, 'user'],
  [{ Service: 'Lambda.amazonaws.com' }, 'lambda.amazonaws.com', 'exact'],
  [{ Service: 'lambda.amazonaws.com' }, SESSION, 'none'],
  [{ Federated: 'cognito-identity.amazonaws.com' }, 'cognito-identity.amazonaws.com', 'exact'],
  [
    { CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' },
    '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
    'exact',
  ],
];
for (const [value, who, expected] of rows) {
  test(`Principal ${JSON.stringify(value)} vs ${who} → ${expected}`, () => {
    assert.equal(compilePrincipal(value).match(parseRequestPrincipal(who)), expected);
  });
}

test('NotPrincipal excludes only when every identity layer is listed', () => {
  const p = parseRequestPrincipal(SESSION);
  assert.equal(compilePrincipal({ AWS: [SESSION, `arn:aws:iam::${A}:role/order`, A] }).excludes(p), true);
  assert.equal(compilePrincipal({ AWS: [SESSION, A] }).excludes(p), false);
  assert.equal(compilePrincipal({ AWS: [`arn:aws:iam::${A}:role/order`, A] }).excludes(p), false);
  const user = parseRequestPrincipal(`arn:aws:iam::${A}:user/alice`);
  assert.equal(compilePrincipal({ AWS: [`arn:aws:iam::${A}:user/alice`, A] }).excludes(user), true);
  assert.equal(compilePrincipal({ AWS: [`arn:aws:iam::${A}:user/alice`] }).excludes(user), false);
});
