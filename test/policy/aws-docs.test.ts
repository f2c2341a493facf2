/**
 * AWS documentation examples as vectors: each fixture names its source page, and each case carries the
 * decision the documentation describes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCase } from '../../src/policy/simulation-case.ts';
import { evaluate } from '../../src/policy/index.ts';

const DIR = 'test/fixtures/policy/aws-docs';

interface Vector {
  source: string;
  description: string;
  cases: { name: string; expected: string; blockedBy?: string[]; case: unknown }[];
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

test('there are AWS documentation vectors, each with a documentation URL', () => {
  assert.ok(files.length >= 10);
  for (const f of files) {
    const v = JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Vector;
    assert.match(v.source, /^https:\/\/docs\.aws\.amazon\.com\//, f);
    assert.ok(v.cases.length > 0, f);
  }
});

for (const file of files) {
  const vector = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Vector;
  for (const c of vector.cases) {
    test(`${file}: ${c.name} → ${c.expected}`, () => {
      const { request, sets } = parseCase(c.case);
      const decision = evaluate(request, sets);
      assert.equal(decision.decision, c.expected, JSON.stringify(decision));
      if (c.blockedBy) assert.deepEqual(decision.blockedBy, c.blockedBy);
    });
  }
}
