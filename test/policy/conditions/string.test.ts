import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clause, type Row } from '../helpers.ts';

const K = 'aws:SourceVpce';
const rows: Row[] = [
  ['StringEquals', ['vpce-1'], { [K]: 'vpce-1' }, true, 'exact match'],
  ['StringEquals', ['vpce-1'], { [K]: 'VPCE-1' }, false, 'values are case-sensitive'],
  ['StringEquals', ['vpce-*'], { [K]: 'vpce-1' }, false, 'no wildcards in StringEquals'],
  ['StringEquals', ['vpce-*'], { [K]: 'vpce-*' }, true, '* is a plain character in StringEquals'],
  ['StringEquals', ['a', 'vpce-1'], { [K]: 'vpce-1' }, true, 'values are ORed'],
  ['StringEquals', ['vpce-1'], {}, false, 'missing key: positive operator false'],
  ['StringEquals', ['vpce-1'], { 'AWS:SOURCEVPCE': 'vpce-1' }, true, 'keys are case-insensitive'],
  ['StringNotEquals', ['vpce-1'], { [K]: 'vpce-2' }, true, 'different value'],
  ['StringNotEquals', ['vpce-1'], { [K]: 'vpce-1' }, false, 'same value'],
  ['StringNotEquals', ['vpce-1'], {}, true, 'missing key: negated operator TRUE'],
  ['StringNotEquals', ['a', 'b'], { [K]: 'b' }, false, 'negated: true only if no value matches'],
  ['StringEqualsIgnoreCase', ['VPCE-1'], { [K]: 'vpce-1' }, true, 'case folded'],
  ['StringEqualsIgnoreCase', ['vpce-*'], { [K]: 'vpce-1' }, false, 'no wildcards'],
  ['StringNotEqualsIgnoreCase', ['VPCE-1'], { [K]: 'vpce-1' }, false, 'case folded, negated'],
  ['StringNotEqualsIgnoreCase', ['VPCE-1'], {}, true, 'missing key: negated TRUE'],
  ['StringLike', ['vpce-*'], { [K]: 'vpce-1' }, true, '* wildcard'],
  ['StringLike', ['vpce-?'], { [K]: 'vpce-12' }, false, '? is exactly one char'],
  ['StringLike', ['vpce-??'], { [K]: 'vpce-12' }, true, '?? two chars'],
  ['StringLike', ['VPCE-*'], { [K]: 'vpce-1' }, false, 'StringLike is case-sensitive'],
  ['StringLike', ['*'], {}, false, 'missing key: StringLike false even for *'],
  ['StringNotLike', ['vpce-*'], { [K]: 'vpce-1' }, false, 'matches, negated'],
  ['StringNotLike', ['vpce-*'], { [K]: 'other' }, true, 'does not match'],
  ['StringNotLike', ['vpce-*'], {}, true, 'missing key: negated TRUE'],
  ['StringEqualsIfExists', ['vpce-1'], {}, true, 'IfExists: missing key true'],
  ['StringEqualsIfExists', ['vpce-1'], { [K]: 'vpce-2' }, false, 'IfExists: present key checked'],
  ['StringLikeIfExists', ['vpce-*'], { [K]: 'vpce-9' }, true, 'IfExists with wildcard'],
  ['StringNotEqualsIfExists', ['vpce-1'], { [K]: 'vpce-1' }, false, 'negated IfExists present'],
  ['StringEquals', ['x'], { [K]: [] }, false, 'empty list counts as missing'],
];

for (const [operator, values, context, expected, why] of rows) {
  test(`${operator} ${JSON.stringify(values)} vs ${JSON.stringify(context)} → ${expected} (${why})`, () => {
    assert.equal(clause(operator, K, values, context), expected);
  });
}

test('policy variables in string values', () => {
  const ctx = { 'aws:username': 'alice', 's3:prefix': 'home/alice/docs' };
  assert.equal(clause('StringLike', 's3:prefix', ['home/${aws:username}/*'], ctx), true);
  assert.equal(
    clause('StringLike', 's3:prefix', ['home/${aws:username}/*'], { ...ctx, 'aws:username': 'bob' }),
    false,
  );
  assert.equal(clause('StringEquals', 'aws:username', ['${aws:username}'], ctx), true);
  // A missing variable matches nothing; the default-value form supplies one.
  assert.equal(clause('StringLike', 's3:prefix', ['home/${aws:missing}/*'], ctx), false);
  assert.equal(clause('StringLike', 's3:prefix', ["home/${aws:missing, 'alice'}/*"], ctx), true);
  // Escapes are literal characters: ${*} is a star, not a wildcard.
  assert.equal(clause('StringLike', 'k', ['a${*}'], { k: 'a*' }), true);
  assert.equal(clause('StringLike', 'k', ['a${*}'], { k: 'ab' }), false);
  assert.equal(clause('StringEquals', 'k', ['${$}x'], { k: '$x' }), true);
  // Version 2008-10-17: no variables, the text is literal.
  assert.equal(
    clause('StringEquals', 'k', ['${aws:username}'], { k: '${aws:username}', 'aws:username': 'x' }, false),
    true,
  );
});

test('a variable value is literal, never a wildcard', () => {
  assert.equal(clause('StringLike', 'k', ['${aws:username}'], { k: 'anything', 'aws:username': '*' }), false);
  assert.equal(clause('StringLike', 'k', ['${aws:username}'], { k: '*', 'aws:username': '*' }), true);
});
