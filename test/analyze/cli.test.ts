/**
 * `securecart check` as a user runs it: formats and exit codes (0 ok, 1 findings at --fail-on,
 * 2 bad input). Most cases run the command in-process (the CLI's start-up loads every command and
 * the CDK, seconds per run on this box); two run the real `bin/securecart.js` end to end.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Command, CommanderError } from 'commander';
import { registerCheck } from '../../src/cli/check-command.ts';
import { UserError } from '../../src/cli/user-error.ts';

const FIXTURES = 'test/fixtures/templates/analyze';

/** Runs `check` in-process; returns the exit code main.ts would use and what it printed. */
async function check(...args: string[]): Promise<{ status: number; stdout: string }> {
  const program = new Command('securecart').exitOverride();
  program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerCheck(program);
  let stdout = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'securecart', 'check', ...args]);
    return { status: Number(process.exitCode ?? 0), stdout };
  } catch (error) {
    if (error instanceof UserError || error instanceof CommanderError) return { status: 2, stdout };
    throw error;
  } finally {
    process.stdout.write = write;
    process.exitCode = before;
  }
}

describe('securecart check (CLI)', () => {
  const cases: [string, string[], number][] = [
    ['clean template', [`${FIXTURES}/reference/clean.yaml`], 0],
    ['clean template, --fail-on warning', [`${FIXTURES}/reference/clean.yaml`, '--fail-on', 'warning'], 0],
    ['an error finding', [`${FIXTURES}/access-blocked/bad.yaml`], 1],
    ['an error finding, --fail-on never', [`${FIXTURES}/access-blocked/bad.yaml`, '--fail-on', 'never'], 0],
    ['only a warning, default --fail-on error', [`${FIXTURES}/flow-logs-missing/bad.yaml`], 0],
    [
      'only a warning, --fail-on warning',
      [`${FIXTURES}/flow-logs-missing/bad.yaml`, '--fail-on', 'warning'],
      1,
    ],
    ['a missing file', ['no-such-template.yaml'], 2],
    ['an unknown format', [`${FIXTURES}/reference/clean.yaml`, '--format', 'xml'], 2],
    ['an unknown --fail-on', [`${FIXTURES}/reference/clean.yaml`, '--fail-on', 'sometimes'], 2],
    [
      'a file that is not a traffic profile',
      [`${FIXTURES}/reference/clean.yaml`, '--traffic', 'package.json'],
      2,
    ],
  ];
  for (const [name, args, status] of cases) {
    it(`${name} → exit ${status}`, async () => {
      assert.equal((await check(...args)).status, status);
    });
  }

  it('--format json prints the documented core', async () => {
    const run = await check(`${FIXTURES}/endpoint-sg-open/bad.yaml`, '--format', 'json');
    const report = JSON.parse(run.stdout) as {
      findings: { id: string }[];
      matrix: unknown[];
      cost: { asWrittenMonthlyUsd: number };
    };
    assert.deepEqual(
      report.findings.map((finding) => finding.id),
      ['endpoint-sg-open'],
    );
    assert.equal(report.matrix.length, 3);
    assert.ok(report.cost.asWrittenMonthlyUsd > 0);
  });

  it('--json is --format json; --traffic changes the cost', async () => {
    const base = JSON.parse((await check(`${FIXTURES}/reference/clean.yaml`, '--json')).stdout) as {
      cost: { allThroughNatMonthlyUsd: number };
    };
    const heavy = JSON.parse(
      (
        await check(
          `${FIXTURES}/reference/clean.yaml`,
          '--json',
          '--traffic',
          'test/fixtures/analyze/heavy-traffic.json',
        )
      ).stdout,
    ) as { cost: { allThroughNatMonthlyUsd: number } };
    // 10,000 GB of S3 through a NAT gateway instead of the default 100 GB: +9,900 GB × $0.045.
    assert.equal(
      Math.round((heavy.cost.allThroughNatMonthlyUsd - base.cost.allThroughNatMonthlyUsd) * 100) / 100,
      445.5,
    );
  });

  it('--format sarif prints SARIF 2.1.0', async () => {
    const run = await check(`${FIXTURES}/flow-logs-missing/bad.yaml`, '--format', 'sarif');
    const sarif = JSON.parse(run.stdout) as { version: string; runs: { results: { ruleId: string }[] }[] };
    assert.equal(sarif.version, '2.1.0');
    assert.deepEqual(
      sarif.runs[0].results.map((result) => result.ruleId),
      ['flow-logs-missing'],
    );
  });

  it('end to end through bin/securecart.js: findings exit 1, bad input exits 2 naming the file', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['bin/securecart.js', 'check', ...args], {
        encoding: 'utf8',
        timeout: 120_000,
      });
    const bad = run(`${FIXTURES}/access-blocked/bad.yaml`);
    assert.equal(bad.status, 1, bad.stderr);
    assert.match(bad.stdout, /access-blocked/);
    const missing = run('no-such-template.yaml');
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no-such-template\.yaml/);
  });
});
