/** `npm run synth`'s script, run as users run it: a child process, offline, timed — once for this file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { templatePath } from '../../infra/bin/synth.ts';

const outdir = mkdtempSync(join(tmpdir(), 'securecart-synth-'));
const started = performance.now();
// No AWS configuration at all: the stack is environment-agnostic and does no lookups.
const env = {
  PATH: process.env.PATH ?? '',
  HOME: outdir,
  AWS_CONFIG_FILE: join(outdir, 'no-config'),
  AWS_SHARED_CREDENTIALS_FILE: join(outdir, 'no-credentials'),
};
const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/bin/synth.ts', outdir], {
  encoding: 'utf8',
  env,
});
const seconds = (performance.now() - started) / 1000;

test('templatePath names <outdir>/SecureCart.template.json (default cdk.out)', () => {
  assert.equal(templatePath(), join('cdk.out', 'SecureCart.template.json'));
  assert.equal(templatePath('/tmp/x'), '/tmp/x/SecureCart.template.json');
});

test('the synth script writes the template offline and prints its path, in under a minute', () => {
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim().split('\n').at(-1), templatePath(outdir));
  const template = JSON.parse(readFileSync(templatePath(outdir), 'utf8')) as {
    Resources: Record<string, { Type: string }>;
  };
  const types = new Set(Object.values(template.Resources).map((r) => r.Type));
  for (const type of [
    'AWS::EC2::VPC',
    'AWS::EC2::VPCEndpoint',
    'AWS::Lambda::Function',
    'AWS::ApiGateway::RestApi',
  ]) {
    assert.ok(types.has(type), type);
  }
  assert.ok(seconds < 60, `synth took ${seconds.toFixed(1)} s`);
  console.log(`# synth took ${seconds.toFixed(1)} s`);
});

test('the bundled handlers are ESM (.mjs) with the createRequire banner and SDK v3 left external', () => {
  const assets = JSON.parse(readFileSync(join(outdir, 'SecureCart.assets.json'), 'utf8')) as {
    files: Record<string, { source: { path: string; packaging?: string } }>;
  };
  const bundles = Object.values(assets.files).filter((f) => f.source.packaging === 'zip');
  assert.equal(bundles.length, 4);
  for (const { source } of bundles) {
    const code = readFileSync(join(outdir, source.path, 'index.mjs'), 'utf8');
    assert.ok(
      code.startsWith(
        "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      ),
    );
    assert.match(code, /from"@aws-sdk\/(client|lib)-[a-z-]+"/, 'imports the runtime-provided SDK v3');
    assert.doesNotMatch(
      code,
      /class SecretsManagerClient|class DynamoDBClient|class S3Client/,
      'SDK v3 must not be bundled',
    );
  }
});
