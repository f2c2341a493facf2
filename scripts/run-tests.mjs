#!/usr/bin/env node
// Node 20's test runner takes no globs: collect test/**/*.test.ts ourselves.
// Many suites (network, analyzer, twin) read SecureCart's synthesized template, so it is
// synthesized once here, before any test runs, when it is missing or older than infra/ or
// services/ — never by test files racing each other on cdk.out.
// Usage: node scripts/run-tests.mjs [path-substring ...]
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir) {
  const files = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) files.push(...collect(full));
    else if (name.endsWith('.test.ts')) files.push(full);
  }
  return files;
}

function newestMtime(dir) {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const stat = statSync(full);
    newest = Math.max(newest, stat.isDirectory() ? newestMtime(full) : stat.mtimeMs);
  }
  return newest;
}

function ensureSynthesized() {
  const template = join('cdk.out', 'SecureCart.template.json');
  const sources = Math.max(newestMtime('infra'), newestMtime('services'));
  if (existsSync(template) && statSync(template).mtimeMs >= sources) return;
  console.log('synthesizing SecureCart (cdk.out is missing or older than infra/ and services/)');
  const synth = spawnSync(process.execPath, ['--import', 'tsx', 'infra/bin/synth.ts'], { stdio: 'inherit' });
  if (synth.status !== 0) process.exit(synth.status ?? 1);
}

const filters = process.argv.slice(2);
const files = collect('test').filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ') || 'test/**/*.test.ts'}`);
  process.exit(2);
}
ensureSynthesized();
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
