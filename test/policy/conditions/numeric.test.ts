import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clause, type Row } from '../helpers.ts';

const K = 's3:max-keys';
const rows: Row[] = [
  ['NumericEquals', ['10'], { [K]: '10' }, true, 'equal'],
  ['NumericEquals', ['10'], { [K]: '10.0' }, true, 'numeric, not textual, equality'],
  ['NumericEquals', ['10'], { [K]: 10 }, true, 'number in context'],
  ['NumericEquals', ['10'], { [K]: 'ten' }, false, 'non-number context value'],
  ['NumericEquals', ['10'], {}, false, 'missing key'],
  ['NumericNotEquals', ['10'], { [K]: '11' }, true, 'different'],
  ['NumericNotEquals', ['10'], { [K]: '10' }, false, 'same'],
  ['NumericNotEquals', ['10'], {}, true, 'missing key: negated TRUE'],
  ['NumericLessThan', ['10'], { [K]: '9' }, true, '9 < 10'],
  ['NumericLessThan', ['10'], { [K]: '10' }, false, '10 < 10'],
  ['NumericLessThanEquals', ['10'], { [K]: '10' }, true, '10 <= 10'],
  ['NumericGreaterThan', ['10'], { [K]: '11' }, true, '11 > 10'],
  ['NumericGreaterThan', ['10'], { [K]: '-11' }, false, 'negative'],
  ['NumericGreaterThanEquals', ['10'], { [K]: '10' }, true, '10 >= 10'],
  ['NumericGreaterThanEquals', ['10'], {}, false, 'missing key'],
  ['NumericLessThanIfExists', ['10'], {}, true, 'IfExists missing'],
  ['NumericLessThan', ['1', '100'], { [K]: '50' }, true, 'values ORed'],
];

for (const [operator, values, context, expected, why] of rows) {
  test(`${operator} ${JSON.stringify(values)} vs ${JSON.stringify(context)} → ${expected} (${why})`, () => {
    assert.equal(clause(operator, K, values, context), expected);
  });
}

test('a non-numeric policy value is an error', () => {
  assert.throws(() => clause('NumericEquals', K, ['ten'], {}), /not a valid number/);
});
