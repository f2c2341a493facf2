import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CASE = 'test/fixtures/policy/cases/order-putitem.json';
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'simulate', ...args], {
    encoding: 'utf8',
  });

test('simulate <case> --json prints the decision', () => {
  const r = cli(CASE, '--json');
  assert.equal(r.status, 0, r.stderr);
  const d = JSON.parse(r.stdout);
  assert.equal(d.decision, 'allowed');
  assert.deepEqual(
    d.matched.map((m: { policy: string }) => m.policy),
    ['identityPolicies[0]', 'endpointPolicies[0]'],
  );
});

test('simulate <case> prints a short explanation; --fail-on-deny exits 1 on a denial', () => {
  const r = cli(CASE);
  assert.match(r.stdout, /^ALLOWED: arn:aws:iam::111122223333:role\/order → dynamodb:PutItem/);
  const dir = mkdtempSync(join(tmpdir(), 'simulate-'));
  const c = JSON.parse(readFileSync(CASE, 'utf8'));
  c.request.action = 'dynamodb:DeleteItem';
  writeFileSync(join(dir, 'deny.json'), JSON.stringify(c));
  const denied = cli(join(dir, 'deny.json'), '--fail-on-deny');
  assert.equal(denied.status, 1);
  assert.match(denied.stdout, /DENIED \(implicit: no identity policy allows it\)/);
});

test('a malformed single case exits 2 and names the field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'simulate-'));
  const c = JSON.parse(readFileSync(CASE, 'utf8'));
  c.identityPolicies[0].Statement[0].Effect = 'allow';
  writeFileSync(join(dir, 'bad.json'), JSON.stringify(c));
  const r = cli(join(dir, 'bad.json'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /identityPolicies\[0\].*\/Statement\/0\/Effect/);
});

test('--batch: one decision per line, in order; a malformed line gets {"error"} and the batch goes on', () => {
  const dir = mkdtempSync(join(tmpdir(), 'simulate-'));
  const c = JSON.parse(readFileSync(CASE, 'utf8'));
  const denied = { ...c, request: { ...c.request, context: {} } };
  const lines = [
    JSON.stringify(c),
    '{not json',
    JSON.stringify({ ...c, request: { ...c.request, action: 7 } }),
    '',
    JSON.stringify(denied),
  ];
  writeFileSync(join(dir, 'cases.jsonl'), lines.join('\n'));
  const r = cli('--batch', join(dir, 'cases.jsonl'));
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(out.length, 4);
  assert.equal(out[0].decision, 'allowed');
  assert.match(out[1].error, /^line 2: /);
  assert.match(out[2].error, /^line 3: request\.action: must be a non-empty string/);
  assert.equal(out[3].decision, 'allowed', 'endpoint policy has no condition, so no context is needed');
});

test('batch compile cache: same decisions as without it, names stay per position, errors still surface', async () => {
  const { simulateCase } = await import('../../src/cli/simulate-command.ts');
  const c = JSON.parse(readFileSync(CASE, 'utf8'));
  const cache = new Map();
  const plain = simulateCase(c);
  assert.deepEqual(simulateCase(c, cache), plain);
  assert.deepEqual(simulateCase(c, cache), plain, 'second run hits the cache');
  assert.equal(cache.size, 2);
  const allowAll = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  const swapped = { ...c, identityPolicies: [allowAll, ...c.identityPolicies] };
  const d = simulateCase(swapped, cache);
  assert.deepEqual(
    d.matched.map((m) => m.policy),
    ['identityPolicies[0]', 'identityPolicies[1]', 'endpointPolicies[0]'],
  );
  const bad = { ...c, identityPolicies: [{ Statement: [{ Effect: 'Maybe', Action: '*', Resource: '*' }] }] };
  assert.throws(() => simulateCase(bad, cache), /identityPolicies\[0\]/);
});
