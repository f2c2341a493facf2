import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clause, type Row } from '../helpers.ts';

const K = 'aws:TokenIssueTime';
const rows: Row[] = [
  ['Null', ['true'], {}, true, 'absent key is null'],
  ['Null', ['true'], { [K]: 'x' }, false, 'present key is not null'],
  ['Null', ['false'], { [K]: 'x' }, true, 'present'],
  ['Null', ['false'], {}, false, 'absent'],
  ['Null', ['true'], { [K]: [] }, true, 'empty list is null'],
  ['Null', ['TRUE'], {}, true, 'case-insensitive value'],
];

for (const [operator, values, context, expected, why] of rows) {
  test(`${operator} ${JSON.stringify(values)} vs ${JSON.stringify(context)} → ${expected} (${why})`, () => {
    assert.equal(clause(operator, K, values, context), expected);
  });
}

test('Null rejects other values and set operators', () => {
  assert.throws(() => clause('Null', K, ['maybe'], {}), /not true or false/);
  assert.throws(() => clause('ForAnyValue:Null', K, ['true'], {}), /no set operator/);
});
