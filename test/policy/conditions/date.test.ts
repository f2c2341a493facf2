import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clause, type Row } from '../helpers.ts';

const K = 'aws:CurrentTime';
const rows: Row[] = [
  ['DateLessThan', ['2026-01-01T00:00:00Z'], { [K]: '2025-12-31T23:59:59Z' }, true, 'before'],
  ['DateLessThan', ['2026-01-01T00:00:00Z'], { [K]: '2026-01-01T00:00:00Z' }, false, 'equal is not less'],
  ['DateLessThanEquals', ['2026-01-01T00:00:00Z'], { [K]: '2026-01-01T00:00:00Z' }, true, 'equal'],
  ['DateGreaterThan', ['2026-01-01'], { [K]: '2026-01-01T00:00:01Z' }, true, 'date-only policy value'],
  ['DateEquals', ['1767225600'], { [K]: '2026-01-01T00:00:00Z' }, true, 'epoch seconds vs ISO'],
  ['DateEquals', ['2026-01-01T00:00:00Z'], { 'aws:EpochTime': '1767225600' }, false, 'different key'],
  [
    'DateGreaterThanEquals',
    ['2026-01-01T01:00:00+01:00'],
    { [K]: '2026-01-01T00:00:00Z' },
    true,
    'zone offsets',
  ],
  ['DateNotEquals', ['2026-01-01T00:00:00Z'], { [K]: '2026-01-02T00:00:00Z' }, true, 'different'],
  ['DateNotEquals', ['2026-01-01T00:00:00Z'], {}, true, 'missing key: negated TRUE'],
  ['DateLessThan', ['2026-01-01T00:00:00Z'], {}, false, 'missing key'],
  ['DateLessThan', ['2026-01-01T00:00:00Z'], { [K]: 'yesterday' }, false, 'unparseable context value'],
  ['DateGreaterThanIfExists', ['2026-01-01T00:00:00Z'], {}, true, 'IfExists'],
];

for (const [operator, values, context, expected, why] of rows) {
  test(`${operator} ${JSON.stringify(values)} vs ${JSON.stringify(context)} → ${expected} (${why})`, () => {
    const key = Object.keys(context)[0] ?? K;
    assert.equal(clause(operator, why === 'different key' ? K : key, values, context), expected);
  });
}

test('epoch on the context side', () => {
  assert.equal(
    clause('DateGreaterThan', 'aws:EpochTime', ['2025-01-01T00:00:00Z'], { 'aws:EpochTime': '1767225600' }),
    true,
  );
});

test('a bad policy date is an error', () => {
  assert.throws(() => clause('DateEquals', K, ['next tuesday'], {}), /not a valid date/);
});
