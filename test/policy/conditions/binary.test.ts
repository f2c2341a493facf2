import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clause, type Row } from '../helpers.ts';

const K = 'key';
const hello = Buffer.from('hello').toString('base64');
const rows: Row[] = [
  ['BinaryEquals', [hello], { [K]: hello }, true, 'same bytes'],
  ['BinaryEquals', [hello], { [K]: Buffer.from('hellO').toString('base64') }, false, 'different bytes'],
  [
    'BinaryEquals',
    ['QmluYXJ5VmFsdWVJbkJhc2U2NA=='],
    { [K]: 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' },
    true,
    'AWS doc example',
  ],
  ['BinaryEquals', [hello], { [K]: 'not base64!' }, false, 'context not base64'],
  ['BinaryEquals', [hello], {}, false, 'missing key'],
  ['BinaryEqualsIfExists', [hello], {}, true, 'IfExists'],
];

for (const [operator, values, context, expected, why] of rows) {
  test(`${operator} → ${expected} (${why})`, () => {
    assert.equal(clause(operator, K, values, context), expected);
  });
}

test('a policy value that is not base64 is an error', () => {
  assert.throws(() => clause('BinaryEquals', K, ['%%%'], {}), /not base64/);
});
