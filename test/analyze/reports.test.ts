/**
 * Reports: JSON validated against src/analyze/report/schema.json, SARIF validated against the
 * official SARIF 2.1.0 JSON schema (shipped by @microsoft/jest-sarif), and the SARIF locations
 * GitHub code scanning needs (template path relative to the cwd, the resource's line).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { checkTemplates } from '../../src/analyze/check.ts';
import { renderJson } from '../../src/analyze/report/json.ts';
import { renderSarif } from '../../src/analyze/report/sarif.ts';
import { renderText } from '../../src/analyze/report/text.ts';
import { RULE_IDS } from '../../src/analyze/finding.ts';
import { RULES } from '../../src/analyze/rules/registry.ts';

const FIXTURES = 'test/fixtures/templates/analyze';
const require = createRequire(import.meta.url);

function sarifValidator() {
  const schema = JSON.parse(
    readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
  ) as Record<string, unknown>;
  // The official schema is draft-04 (`id`, draft-04 `$schema`); its keywords are the same in draft-07 except
  // for `id`, which Ajv 8 reads as `$id`.
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  // unicodeRegExp off: the schema's `language` pattern has a stray `]` that only non-unicode RegExps accept.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:\S*$/i);
  ajv.addFormat('uri-reference', /^\S*$/);
  ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
  return ajv.compile(schema);
}

function jsonValidator() {
  const schema = JSON.parse(readFileSync('src/analyze/report/schema.json', 'utf8')) as object;
  return new Ajv({ strict: true, allErrors: true }).compile(schema);
}

const CASES = [
  [join(FIXTURES, 'reference', 'clean.yaml')],
  [join(FIXTURES, 'access-blocked', 'bad.yaml'), join(FIXTURES, 'endpoint-sg-open', 'bad.yaml')],
  [join(FIXTURES, 'interface-endpoint-for-gateway-service', 'bad.yaml')],
  [join(FIXTURES, 'private-api-not-restricted', 'bad.yaml')],
  [join(FIXTURES, 'api-lambda-permission-missing', 'bad.yaml')],
];

describe('reports', () => {
  it("the schema's finding ids are exactly the rules' ids, in order", () => {
    const schema = JSON.parse(readFileSync('src/analyze/report/schema.json', 'utf8')) as object;
    const found: unknown[] = [];
    JSON.stringify(schema, (key, value: unknown) => {
      if (key === 'enum' && Array.isArray(value) && value.includes('access-blocked')) found.push(value);
      return value;
    });
    assert.deepEqual(found, [[...RULE_IDS]]);
  });

  const validateJson = jsonValidator();
  const validateSarif = sarifValidator();

  for (const files of CASES) {
    const result = checkTemplates(files);
    it(`JSON for ${files.join(' + ')} matches the documented schema`, () => {
      const report = JSON.parse(renderJson(result)) as Record<string, unknown>;
      assert.ok(validateJson(report), JSON.stringify(validateJson.errors, null, 2));
      const core = report.findings as {
        id: string;
        severity: string;
        resources: string[];
        message: string;
        fix: string;
      }[];
      assert.equal(core.length, result.findings.length);
    });
    it(`SARIF for ${files.join(' + ')} is valid SARIF 2.1.0`, () => {
      const sarif = JSON.parse(renderSarif(result, RULES)) as Record<string, unknown>;
      assert.ok(validateSarif(sarif), JSON.stringify(validateSarif.errors?.slice(0, 5), null, 2));
    });
  }

  it('the JSON schema rejects a report that breaks the core contract', () => {
    const result = checkTemplates([join(FIXTURES, 'endpoint-sg-open', 'bad.yaml')]);
    const report = JSON.parse(renderJson(result)) as { findings: Record<string, unknown>[] };
    delete report.findings[0].fix;
    assert.equal(validateJson(report), false);
  });

  it('SARIF results point at the template (relative to the cwd) and the resource line, with rule metadata', () => {
    const file = join(process.cwd(), FIXTURES, 'endpoint-sg-open', 'bad.yaml');
    const result = checkTemplates([file]);
    const sarif = JSON.parse(renderSarif(result, RULES)) as {
      version: string;
      runs: {
        tool: { driver: { rules: { id: string; help: { text: string } }[] } };
        results: {
          ruleId: string;
          level: string;
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
          }[];
        }[];
      }[];
    };
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.deepEqual(
      run.tool.driver.rules.map((rule) => rule.id),
      RULES.map((rule) => rule.id),
    );
    assert.ok(run.tool.driver.rules.every((rule) => rule.help.text.length > 20));
    const hit = run.results.find((r) => r.ruleId === 'endpoint-sg-open');
    assert.ok(hit);
    assert.equal(hit.level, 'warning');
    const location = hit.locations[0].physicalLocation;
    assert.equal(location.artifactLocation.uri, `${FIXTURES}/endpoint-sg-open/bad.yaml`);
    // The line of `SecretsEndpoint:` in the fixture.
    const lines = readFileSync(file, 'utf8').split('\n');
    assert.equal(lines[location.region.startLine - 1].trim(), 'SecretsEndpoint:');
  });

  it('text report lists findings worst first, the matrix and the three costs', () => {
    const result = checkTemplates([join(FIXTURES, 'aws-traffic-via-internet', 'bad.yaml')]);
    const text = renderText(result, { color: false });
    assert.ok(text.indexOf('aws-traffic-via-internet') < text.indexOf('resource-not-endpoint-restricted'));
    assert.match(text, /Access matrix 2 row\(s\)/);
    assert.match(text, /nat-gateway \(NatGateway\)/);
    assert.match(text, /A: all through NAT/);
    assert.ok(!text.includes(String.fromCharCode(27)), 'no colour codes when color: false');
  });
});
