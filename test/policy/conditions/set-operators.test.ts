import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clause, type Row } from '../helpers.ts';

const K = 'aws:TagKeys';
const rows: Row[] = [
  ['ForAllValues:StringEquals', ['env', 'team'], { [K]: ['env'] }, true, 'every value allowed'],
  ['ForAllValues:StringEquals', ['env', 'team'], { [K]: ['env', 'cost'] }, false, 'one value not allowed'],
  ['ForAllValues:StringEquals', ['env'], {}, true, 'missing key: TRUE (the ForAllValues bypass)'],
  ['ForAllValues:StringEquals', ['env'], { [K]: [] }, true, 'empty list: TRUE'],
  ['ForAnyValue:StringEquals', ['env'], { [K]: ['cost', 'env'] }, true, 'one value matches'],
  ['ForAnyValue:StringEquals', ['env'], { [K]: ['cost'] }, false, 'none matches'],
  ['ForAnyValue:StringEquals', ['env'], {}, false, 'missing key: false'],
  ['ForAnyValue:StringNotEquals', ['env'], { [K]: ['env', 'cost'] }, true, 'some value differs'],
  ['ForAnyValue:StringNotEquals', ['env'], { [K]: ['env'] }, false, 'no value differs'],
  ['ForAllValues:StringNotEquals', ['secret'], { [K]: ['env', 'cost'] }, true, 'no value is forbidden'],
  ['ForAllValues:StringNotEquals', ['secret'], { [K]: ['env', 'secret'] }, false, 'a forbidden value'],
  ['ForAllValues:StringLike', ['e*'], { [K]: ['env', 'eu'] }, true, 'wildcards per value'],
  ['ForAnyValue:StringEqualsIfExists', ['env'], {}, true, 'IfExists with set operator'],
  ['StringEquals', ['env'], { [K]: ['cost', 'env'] }, true, 'no qualifier on a multivalued key: any value'],
  ['StringNotEquals', ['env'], { [K]: ['cost', 'env'] }, false, 'negated, no qualifier: no value may match'],
  ['forallvalues:stringequals', ['env'], { [K]: ['env'] }, true, 'operator names tolerant of case'],
];

for (const [operator, values, context, expected, why] of rows) {
  test(`${operator} ${JSON.stringify(values)} vs ${JSON.stringify(context)} → ${expected} (${why})`, () => {
    assert.equal(clause(operator, K, values, context), expected);
  });
}

test('unknown set operator and unknown operator are errors', () => {
  assert.throws(() => clause('ForSomeValues:StringEquals', K, ['x'], {}), /unknown set operator/);
  assert.throws(() => clause('StringSortOf', K, ['x'], {}), /unknown condition operator/);
});
