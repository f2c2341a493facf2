/**
 * cdk-nag AwsSolutions over the whole stack: zero unacknowledged errors and warnings. cdk-nag v3 is a
 * CDK validation plugin (acknowledgements via `Validations.of(x).acknowledge`), so findings come from
 * the pack's report rather than from Annotations. The same synth runs CDK's built-in CloudFormation
 * validation (schemas, dependency cycles).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from '../../infra/lib/app.ts';
import { NAG_ACKNOWLEDGEMENTS } from '../../infra/lib/nag-suppressions.ts';

const outdir = mkdtempSync(join(tmpdir(), 'securecart-nag-'));
const { app, stack } = buildApp(outdir, { validate: true });
app.synth();
const report = new AwsSolutionsChecks(app).validateScope(stack);

function findings(severity: string): string[] {
  return report.violations
    .filter((violation) => violation.severity === severity)
    .map(
      (v) =>
        `${v.ruleName} on ${v.violatingResources.map((r) => r.resourceLogicalId).join(', ')}: ${v.description}`,
    );
}

test('cdk-nag AwsSolutions: no unacknowledged errors', () => {
  assert.deepEqual(findings('error'), []);
});

test('cdk-nag AwsSolutions: no unacknowledged warnings', () => {
  assert.deepEqual(findings('warning'), []);
});

test('cdk-nag AwsSolutions: the report has no finding of any other severity either', () => {
  assert.deepEqual(
    report.violations.map((v) => v.ruleName),
    [],
  );
  assert.equal(report.success, true);
});

test('CDK itself reports no error or warning annotation on the stack', () => {
  const annotations = Annotations.fromStack(stack);
  const describe = (messages: ReturnType<typeof annotations.findError>) =>
    messages.map((m) => `${m.id}: ${String(m.entry.data)}`);
  assert.deepEqual(describe(annotations.findError('*', Match.anyValue())), []);
  assert.deepEqual(describe(annotations.findWarning('*', Match.anyValue())), []);
});

test('every acknowledgement names one AwsSolutions rule and carries a specific reason', () => {
  assert.ok(NAG_ACKNOWLEDGEMENTS.length > 0);
  for (const { id, reason, on } of NAG_ACKNOWLEDGEMENTS) {
    assert.match(id, /^AwsSolutions-[A-Z]+[0-9]+(\[.+\])?$/);
    assert.ok(reason.length >= 80, `${id}: reason too short to review`);
    assert.ok(on(stack).length > 0, `${id}: applies to no construct`);
  }
});

test('acknowledgements are recorded in the template metadata (cdk_nag.rules_to_suppress)', () => {
  const template = JSON.parse(readFileSync(join(outdir, 'SecureCart.template.json'), 'utf8')) as {
    Resources: Record<
      string,
      { Metadata?: { cdk_nag?: { rules_to_suppress?: { id: string; reason: string }[] } } }
    >;
  };
  const recorded = new Set(
    Object.values(template.Resources).flatMap((r) =>
      (r.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((s) => s.id),
    ),
  );
  for (const { id } of NAG_ACKNOWLEDGEMENTS)
    assert.ok(recorded.has(id), `${id} not recorded in the template`);
});

test("CDK's CloudFormation validation reports no violations (e.g. no dependency cycle)", () => {
  // CDK writes this file only when a validation plugin ran (outdir is fresh), and lists only
  // plugins that reported something.
  const file = join(outdir, 'validation-report.json');
  assert.ok(existsSync(file), 'the CloudFormation validation plugin did not run');
  const report = JSON.parse(readFileSync(file, 'utf8')) as { pluginReports: { violations?: unknown[] }[] };
  const violations = report.pluginReports.flatMap((plugin) => plugin.violations ?? []);
  assert.deepEqual(violations, []);
});
