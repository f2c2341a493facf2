/**
 * The analyzer's result for one run of `securecart check` (one or more templates): what the
 * report renderers (text, JSON, SARIF) take as input.
 */
import type { Finding } from './finding.ts';
import type { CostEstimate } from './pricing/estimate.ts';

export interface TemplateSummary {
  readonly file: string;
  readonly region: string;
  readonly accountId: string;
  readonly workloads: number;
  readonly unsupportedTypes: readonly string[];
  readonly unresolved: number;
  /** What the analysis could not decide (roles outside the template, invalid policies). */
  readonly notes: readonly string[];
}

/** One row of the access matrix: a workload, one action on one resource it is granted, its path and decision. */
export interface MatrixRow {
  readonly file: string;
  readonly workload: string;
  /** The role the call is made as (logical id): the workload's role, or an ECS task execution role. */
  readonly role: string;
  /** Service short name (s3, dynamodb, secretsmanager, kms, execute-api, …). */
  readonly service: string;
  readonly action: string;
  /** The resource ARN (wildcards expanded against the template's own resources where they match). */
  readonly resource: string;
  /** The template resource the ARN belongs to, or null for resources outside the template. */
  readonly resourceLogicalId: string | null;
  /** How the call leaves: the tracer's route kind. */
  readonly route: string;
  /** The endpoint or gateway used, by logical id. */
  readonly via: string | null;
  readonly reachable: boolean;
  readonly networkBlockedBy: {
    readonly component: string;
    readonly resource: string | null;
    readonly reason: string;
  } | null;
  /** The policy engine's decision with the context keys the path carries. */
  readonly decision: 'allowed' | 'implicit-deny' | 'explicit-deny';
  readonly policyBlockedBy: readonly string[];
  /** The request context keys set on this path (aws:SourceVpce, aws:SourceIp, …). */
  readonly contextKeys: Readonly<Record<string, unknown>>;
}

export interface TemplateCost {
  readonly file: string;
  readonly estimate: CostEstimate;
}

export interface CheckResult {
  readonly templates: readonly TemplateSummary[];
  /** Sorted worst first. */
  readonly findings: readonly Finding[];
  readonly matrix: readonly MatrixRow[];
  readonly costs: readonly TemplateCost[];
}

/** A row ends in success only when the network lets it through and the policies allow it. */
export function rowSucceeds(row: MatrixRow): boolean {
  return row.reachable && row.decision === 'allowed';
}
