/**
 * A rule: a stable id, the severity of what it finds, a title and a help text (shown in SARIF and
 * `docs/analyzer.md`), and a check over the analysis of one template.
 */
import type { Finding, RuleId, Severity } from '../finding.ts';
import type { Analysis } from '../analysis.ts';

export interface RuleInfo {
  readonly id: RuleId;
  readonly severity: Severity;
  /** Short description, one line. */
  readonly title: string;
  /** Why it matters and how to fix it (markdown-free prose). */
  readonly help: string;
}

/** A finding as a rule produces it; the runner adds the id, severity, file and line. */
export type RuleFinding = Omit<Finding, 'id' | 'severity' | 'file' | 'line'>;

export interface Rule extends RuleInfo {
  check(analysis: Analysis): Iterable<RuleFinding>;
}
