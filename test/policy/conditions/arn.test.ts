import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clause, type Row } from '../helpers.ts';

const K = 'aws:PrincipalArn';
const role = 'arn:aws:iam::111122223333:role/app/order';
const rows: Row[] = [
  ['ArnEquals', [role], { [K]: role }, true, 'exact'],
  ['ArnEquals', ['arn:aws:iam::111122223333:role/*'], { [K]: role }, true, 'ArnEquals takes wildcards too'],
  ['ArnLike', ['arn:aws:iam::*:role/app/*'], { [K]: role }, true, 'account wildcard'],
  ['ArnLike', ['arn:aws:iam::111122223333:role/APP/*'], { [K]: role }, false, 'case-sensitive'],
  ['ArnLike', ['arn:aws:iam::111122223333*'], { [K]: role }, false, 'a wildcard does not cross segments'],
  ['ArnLike', ['arn:aws:*:*:111122223333:*'], { [K]: role }, true, 'each segment separately'],
  [
    'ArnLike',
    ['arn:aws:iam::111122223333:role/app/order'],
    { [K]: 'not-an-arn' },
    false,
    'context not an ARN',
  ],
  ['ArnLike', [role], {}, false, 'missing key'],
  ['ArnNotEquals', [role], { [K]: 'arn:aws:iam::111122223333:role/other' }, true, 'different'],
  ['ArnNotEquals', [role], { [K]: role }, false, 'same'],
  ['ArnNotEquals', [role], {}, true, 'missing key: negated TRUE'],
  ['ArnNotLike', ['arn:aws:iam::*:role/app/*'], { [K]: role }, false, 'matches'],
  ['ArnNotLike', ['arn:aws:iam::*:role/app/*'], {}, true, 'missing key: negated TRUE'],
  ['ArnLikeIfExists', ['arn:aws:iam::*:role/x'], {}, true, 'IfExists'],
];

for (const [operator, values, context, expected, why] of rows) {
  test(`${operator} ${JSON.stringify(values)} → ${expected} (${why})`, () => {
    assert.equal(clause(operator, K, values, context), expected);
  });
}

test('ARN values take policy variables', () => {
  const ctx = { [K]: 'arn:aws:iam::111122223333:user/alice', 'aws:username': 'alice' };
  assert.equal(clause('ArnEquals', K, ['arn:aws:iam::111122223333:user/${aws:username}'], ctx), true);
  assert.equal(
    clause('ArnEquals', K, ['arn:aws:iam::111122223333:user/${aws:username}'], {
      ...ctx,
      'aws:username': 'bob',
    }),
    false,
  );
});
