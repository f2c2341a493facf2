import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arnMatches, compileArnPattern, parseArn } from '../../src/policy/arn.ts';
import { parseTemplate, resolveText } from '../../src/policy/variables.ts';
import { normalizeContext } from '../../src/policy/request-context.ts';

test('parseArn splits six parts; the resource keeps its colons', () => {
  assert.deepEqual(parseArn('arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf'), {
    partition: 'aws',
    service: 'secretsmanager',
    region: 'us-east-1',
    account: '111122223333',
    resource: 'secret:db-AbCdEf',
  });
  assert.equal(parseArn('arn:aws:s3'), undefined);
  assert.equal(parseArn('bucket'), undefined);
});

const rows: [string, string, boolean][] = [
  ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b', true],
  ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket2/a', false],
  ['arn:aws:s3:::bucket', 'arn:aws:s3:::bucket', true],
  ['arn:aws:s3:::Bucket', 'arn:aws:s3:::bucket', false],
  ['arn:aws:dynamodb:*:111122223333:table/*', 'arn:aws:dynamodb:us-east-1:111122223333:table/orders', true],
  ['arn:aws:dynamodb:*:111122223333:table/*', 'arn:aws:dynamodb:us-east-1:444455556666:table/orders', false],
  ['arn:aws:*:*:*:*', 'arn:aws:kms:us-east-1:111122223333:key/k', true],
  ['arn:aws:iam::111122223333*', 'arn:aws:iam::111122223333:role/x', false],
  [
    'arn:aws:secretsmanager:us-east-1:111122223333:secret:db-??????',
    'arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf',
    true,
  ],
  [
    'arn:aws:secretsmanager:*:111122223333:secret:db*',
    'arn:aws:secretsmanager:us-east-1:111122223333:secret:db:with:colons',
    true,
  ],
  ['arn:aws:s*:::b', 'arn:aws:sqs:::b', true],
  ['arn:aws:s*:::b', 'arn:aws:s3:x::b', false],
  ['*', 'anything', true],
];
for (const [pattern, arn, expected] of rows) {
  test(`ARN pattern ${pattern} vs ${arn} → ${expected}`, () =>
    assert.equal(arnMatches(pattern, arn), expected));
}

test('ARN patterns with variables resolve per request', () => {
  const m = compileArnPattern('arn:aws:s3:::home/${aws:username}/*', true);
  const arn = 'arn:aws:s3:::home/alice/x';
  assert.equal(m(arn, parseArn(arn), normalizeContext({ 'aws:username': 'alice' })), true);
  assert.equal(m(arn, parseArn(arn), normalizeContext({ 'aws:username': 'bob' })), false);
  assert.equal(m(arn, parseArn(arn), normalizeContext({})), false);
  const tag = compileArnPattern('arn:aws:dynamodb:*:*:table/${aws:PrincipalTag/team}-*', true);
  const t = 'arn:aws:dynamodb:us-east-1:111122223333:table/web-orders';
  assert.equal(tag(t, parseArn(t), normalizeContext({ 'aws:PrincipalTag/team': 'web' })), true);
});

test('templates: escapes, defaults, errors', () => {
  const ctx = normalizeContext({ 'aws:username': 'alice', multi: ['a', 'b'] });
  assert.equal(resolveText(parseTemplate('${*}${?}${$}', true), ctx), '*?$');
  assert.equal(resolveText(parseTemplate("${aws:missing, 'x'}", true), ctx), 'x');
  assert.equal(resolveText(parseTemplate('${aws:missing}', true), ctx), undefined);
  assert.equal(
    resolveText(parseTemplate('${multi}', true), ctx),
    undefined,
    'multivalued keys cannot be substituted',
  );
  assert.equal(
    resolveText(parseTemplate('${AWS:UserName}', true), ctx),
    'alice',
    'variable keys are case-insensitive',
  );
  assert.throws(() => parseTemplate('${aws:username', true), /unterminated/);
  assert.throws(() => parseTemplate('${}', true), /malformed/);
});
