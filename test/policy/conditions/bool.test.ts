import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clause, type Row } from '../helpers.ts';

const K = 'aws:SecureTransport';
const rows: Row[] = [
  ['Bool', ['true'], { [K]: 'true' }, true, 'string true'],
  ['Bool', ['true'], { [K]: true }, true, 'boolean true in context'],
  ['Bool', ['false'], { [K]: 'false' }, true, 'false'],
  ['Bool', ['false'], { [K]: 'true' }, false, 'mismatch'],
  ['Bool', ['TRUE'], { [K]: 'True' }, true, 'case-insensitive'],
  ['Bool', ['false'], {}, false, 'missing key: false, even for "false"'],
  ['BoolIfExists', ['false'], {}, true, 'IfExists missing'],
  ['BoolIfExists', ['false'], { [K]: 'true' }, false, 'IfExists present'],
];

for (const [operator, values, context, expected, why] of rows) {
  test(`${operator} ${JSON.stringify(values)} vs ${JSON.stringify(context)} → ${expected} (${why})`, () => {
    assert.equal(clause(operator, K, values, context), expected);
  });
}

test('Bool rejects values other than true/false', () => {
  assert.throws(() => clause('Bool', K, ['yes'], {}), /not true or false/);
});
