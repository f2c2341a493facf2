/**
 * What the analyzer reports: a finding names a stable rule id, a severity, the logical ids it is
 * about, why it matters in one line, and how to fix it. File and line locate it for SARIF.
 */

/** The stable finding ids (issue 6). Never rename or renumber: CI configurations depend on them. */
export const RULE_IDS = [
  'aws-traffic-via-internet',
  'endpoint-policy-full-access',
  'identity-policy-too-broad',
  'endpoint-sg-open',
  'interface-endpoint-for-gateway-service',
  'flow-logs-missing',
  'private-api-not-restricted',
  'resource-not-endpoint-restricted',
  'private-dns-disabled',
  'endpoint-route-missing',
  'access-blocked',
  'policy-condition-bypass',
  'bucket-policy-public',
  'bucket-public-access-not-blocked',
  'api-lambda-permission-missing',
  'sns-delivery-refused',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

export type Severity = 'error' | 'warning' | 'info';

/** Severities from worst to mildest; the index is the rank used for sorting and --fail-on. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** True when `severity` is as bad as `threshold` or worse. */
export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) <= severityRank(threshold);
}

export interface Finding {
  readonly id: RuleId;
  readonly severity: Severity;
  /** Logical ids of the resources concerned, the primary one first (its line goes to SARIF). */
  readonly resources: readonly string[];
  /** One line: what is wrong and why it matters. */
  readonly message: string;
  /** One line: what to change. */
  readonly fix: string;
  /** The template file the finding is in (as given on the command line). */
  readonly file?: string;
  /** 1-based line of the primary resource's logical id, when the loader knows it. */
  readonly line?: number;
  /** Monthly cost in USD attached to the finding (e.g. an avoidable interface endpoint). */
  readonly monthlyCostUsd?: number;
}

/** Worst first, then by rule id, then by resource, so reports are stable. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    a.id.localeCompare(b.id) ||
    (a.file ?? '').localeCompare(b.file ?? '') ||
    (a.resources[0] ?? '').localeCompare(b.resources[0] ?? '') ||
    a.message.localeCompare(b.message)
  );
}

/** `a, b, c and 47 more`: lists in messages stay one line long; `resources` keeps them all. */
export function listOf(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
