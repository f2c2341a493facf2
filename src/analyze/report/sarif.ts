/**
 * `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it — one run, the rules with their
 * help, one result per finding located at the template file (relative to the working directory)
 * and the line of the resource's logical id.
 */
import { relative, sep } from 'node:path';
import type { Finding, Severity } from '../finding.ts';
import type { CheckResult } from '../result.ts';
import type { RuleInfo } from '../rules/rule.ts';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

export interface SarifOptions {
  /** Directory the artifact URIs are relative to. @default process.cwd() */
  readonly cwd?: string;
  readonly toolVersion?: string;
}

export function toSarif(result: CheckResult, rules: readonly RuleInfo[], options: SarifOptions = {}): object {
  const cwd = options.cwd ?? process.cwd();
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'securecart-check',
            version: options.toolVersion ?? '0.1.0',
            rules: rules.map((rule) => ({
              id: rule.id,
              name: toPascalCase(rule.id),
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.help },
              help: { text: `${rule.help} (docs/analyzer.md#${rule.id})` },
              defaultConfiguration: { level: LEVEL[rule.severity] },
              properties: { tags: ['security', 'aws', 'cloudformation'] },
            })),
          },
        },
        results: result.findings.map((finding) => toResult(finding, ruleIndex, cwd)),
      },
    ],
  };
}

export function renderSarif(
  result: CheckResult,
  rules: readonly RuleInfo[],
  options: SarifOptions = {},
): string {
  return `${JSON.stringify(toSarif(result, rules, options), null, 2)}\n`;
}

function toResult(finding: Finding, ruleIndex: ReadonlyMap<string, number>, cwd: string): object {
  const uri = finding.file === undefined ? 'template' : toUri(relative(cwd, finding.file));
  return {
    ruleId: finding.id,
    ...(ruleIndex.has(finding.id) ? { ruleIndex: ruleIndex.get(finding.id) } : {}),
    level: LEVEL[finding.severity],
    message: { text: `${finding.message} Fix: ${finding.fix}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri },
          // GitHub rejects results without a region line; a resource of unknown line points at line 1.
          region: { startLine: finding.line ?? 1 },
        },
        logicalLocations: finding.resources.map((logicalId) => ({ name: logicalId, kind: 'resource' })),
      },
    ],
    partialFingerprints: {
      // Stable across runs and line moves: the rule and the resources concerned.
      securecartFinding: `${finding.id}:${finding.resources.join(',')}`,
    },
  };
}

function toUri(path: string): string {
  return path.split(sep).map(encodeURIComponent).join('/');
}

function toPascalCase(id: string): string {
  return id
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
