/**
 * SecureCart's own template is the reference: every row of its access matrix succeeds through
 * the endpoint the seed names, and it has no error or warning finding.
 * Synthesized with infra/bin/synth.ts into a temporary directory; skipped when the CDK app is absent.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkTemplates } from '../../src/analyze/check.ts';
import type { CheckResult } from '../../src/analyze/result.ts';

const SYNTH = 'infra/bin/synth.ts';
const skip = existsSync(SYNTH) ? false : `${SYNTH} is absent: SecureCart's CDK app has not landed`;

/** The seed: gateway endpoints for S3 and DynamoDB, interface endpoints for Secrets Manager and API Gateway. */
const EXPECTED_ROUTE: Record<string, string> = {
  s3: 'gateway-endpoint',
  dynamodb: 'gateway-endpoint',
  secretsmanager: 'interface-endpoint',
  'execute-api': 'interface-endpoint',
};

describe("SecureCart's own template", { skip }, () => {
  let result: CheckResult;
  it('synthesizes and checks', async () => {
    const { synthesize } = (await import(`../../${SYNTH}`)) as { synthesize: (outdir: string) => string };
    const file = synthesize(mkdtempSync(join(tmpdir(), 'securecart-synth-')));
    result = checkTemplates([file]);
    assert.ok(result.matrix.length > 0, 'the services are granted something');
  });

  it('every granted action succeeds, through the endpoint the seed names', () => {
    for (const row of result.matrix) {
      assert.equal(
        row.reachable,
        true,
        `${row.workload} ${row.action}: ${JSON.stringify(row.networkBlockedBy)}`,
      );
      assert.equal(
        row.decision,
        'allowed',
        `${row.workload} ${row.action} ${row.resource}: ${row.policyBlockedBy.join(',')}`,
      );
      if (EXPECTED_ROUTE[row.service])
        assert.equal(row.route, EXPECTED_ROUTE[row.service], `${row.workload} ${row.action}`);
    }
  });

  it('has no error finding', () => {
    const errors = result.findings.filter((finding) => finding.severity === 'error');
    assert.deepEqual(
      errors.map((finding) => `${finding.id}: ${finding.message}`),
      [],
    );
  });

  // The tables' resource policies deny item access outside the DynamoDB gateway endpoint
  // (infra/lib/data.ts), so resource-not-endpoint-restricted has nothing left to report.
  it('has no warning finding', () => {
    const warnings = result.findings.filter((finding) => finding.severity === 'warning');
    assert.deepEqual(
      warnings.map((finding) => `${finding.id}: ${finding.message}`),
      [],
    );
  });
});
