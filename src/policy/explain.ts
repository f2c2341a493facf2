/**
 * The shape of a decision. Every decision explains itself: what was decided, which policy kinds
 * blocked it, and which statements matched (allow and deny alike).
 */

/** The kinds of policy that take part in a decision. */
export type PolicyKind = 'identity' | 'resource' | 'endpoint' | 'scp' | 'rcp' | 'boundary' | 'session';

/** The three outcomes AWS distinguishes. */
export type DecisionKind = 'allowed' | 'implicit-deny' | 'explicit-deny';

/** A statement whose Action, Resource, Principal and Condition all matched the request. */
export interface MatchedStatement {
  /** The name the policy was compiled with. */
  policy: string;
  /** Index of the statement in the policy's Statement array (0 when Statement is an object). */
  statement: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
}

export interface Decision {
  decision: DecisionKind;
  /** For a denial: the policy kinds that denied (explicit) or failed to allow (implicit). Empty when allowed. */
  blockedBy: PolicyKind[];
  matched: MatchedStatement[];
}
