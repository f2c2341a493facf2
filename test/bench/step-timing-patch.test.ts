/**
 * docs/twin.md tells readers to `git apply bench/twin/step-timing.patch` to time the gateway's steps:
 * the patch must still apply to the code it instruments (it stopped applying once already).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

test('bench/twin/step-timing.patch applies to the current sources', () => {
  const result = spawnSync('git', ['apply', '--check', 'bench/twin/step-timing.patch'], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
});
