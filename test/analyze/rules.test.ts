/**
 * One fixture per finding that triggers it (bad*.yaml) and a near-twin that does not (good.yaml),
 * under test/fixtures/templates/analyze/<id>/. The reference template triggers nothing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkTemplates } from '../../src/analyze/check.ts';
import { RULE_IDS } from '../../src/analyze/finding.ts';
import { RULES } from '../../src/analyze/rules/registry.ts';

const FIXTURES = 'test/fixtures/templates/analyze';

describe('rules: each finding has a triggering fixture and a near-twin that does not trigger it', () => {
  for (const id of RULE_IDS) {
    const dir = join(FIXTURES, id);
    const files = readdirSync(dir).filter((name) => name.endsWith('.yaml'));
    const bad = files.filter((name) => name.startsWith('bad'));
    it(`${id}: has at least one bad fixture and a good one`, () => {
      assert.ok(bad.length > 0, `no bad*.yaml in ${dir}`);
      assert.ok(files.includes('good.yaml'), `no good.yaml in ${dir}`);
    });
    for (const name of bad) {
      it(`${id}: ${name} triggers it, with a resource, a message, a fix and a line`, () => {
        const result = checkTemplates([join(dir, name)]);
        const hits = result.findings.filter((finding) => finding.id === id);
        assert.ok(
          hits.length > 0,
          `expected ${id}; got ${result.findings.map((f) => f.id).join(', ') || 'nothing'}`,
        );
        for (const hit of hits) {
          assert.equal(hit.severity, RULES.find((rule) => rule.id === id)?.severity);
          assert.ok(hit.resources.length > 0 && hit.message.length > 0 && hit.fix.length > 0);
          assert.ok(typeof hit.line === 'number' && hit.line > 0, `no line for ${hit.resources[0]}`);
          assert.equal(hit.file, join(dir, name));
        }
      });
    }
    it(`${id}: good.yaml does not trigger it`, () => {
      const result = checkTemplates([join(dir, 'good.yaml')]);
      const hits = result.findings.filter((finding) => finding.id === id);
      assert.deepEqual(
        hits.map((hit) => hit.message),
        [],
      );
    });
  }

  it('the reference template has no findings at all and every matrix row succeeds', () => {
    const result = checkTemplates([join(FIXTURES, 'reference', 'clean.yaml')]);
    assert.deepEqual(result.findings, []);
    assert.deepEqual(
      result.matrix.map((row) => [row.action, row.route, row.via, row.decision]),
      [
        ['s3:GetObject', 'gateway-endpoint', 'S3Endpoint', 'allowed'],
        ['s3:PutObject', 'gateway-endpoint', 'S3Endpoint', 'allowed'],
      ],
    );
  });

  it('names the exact cause: the endpoint policy that does not allow s3:PutObject', () => {
    const result = checkTemplates([join(FIXTURES, 'access-blocked', 'bad.yaml')]);
    const row = result.matrix.find((r) => r.action === 's3:PutObject');
    assert.equal(row?.decision, 'implicit-deny');
    assert.deepEqual(row?.policyBlockedBy, ['endpoint']);
    const finding = result.findings.find((f) => f.id === 'access-blocked');
    assert.deepEqual(finding?.resources, ['Fn', 'S3Endpoint', 'Images']);
  });

  it("puts the interface endpoint's monthly cost on interface-endpoint-for-gateway-service", () => {
    const result = checkTemplates([join(FIXTURES, 'interface-endpoint-for-gateway-service', 'bad.yaml')]);
    const finding = result.findings.find((f) => f.id === 'interface-endpoint-for-gateway-service');
    // 1 AZ × 730 h × $0.01 + 100 GB (default S3 profile) × $0.01
    assert.equal(finding?.monthlyCostUsd, 8.3);
  });

  it('sorts findings worst first', () => {
    const result = checkTemplates([join(FIXTURES, 'aws-traffic-via-internet', 'bad.yaml')]);
    const severities = result.findings.map((f) => f.severity);
    assert.deepEqual(
      severities,
      [...severities].sort(
        (a, b) => ['error', 'warning', 'info'].indexOf(a) - ['error', 'warning', 'info'].indexOf(b),
      ),
    );
    assert.equal(severities[0], 'error');
  });
});
