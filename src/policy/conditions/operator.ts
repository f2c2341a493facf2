/**
 * The contract every condition operator family implements. An operator is described by its positive
 * form: `build` returns a matcher that is true when one context value equals/matches ANY of the policy
 * values (values within one condition are OR'ed). Negated operators (StringNotEquals, NotIpAddress…)
 * reuse the positive matcher; set-operators.ts decides how negation, missing keys, `ForAnyValue:`,
 * `ForAllValues:` and `…IfExists` combine.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
import type { RequestContext } from '../request-context.ts';

export type ValueMatcher = (contextValue: string, ctx: RequestContext) => boolean;

export interface OperatorSpec {
  /** Exact AWS name of the base operator, e.g. `StringNotLike`. */
  readonly name: string;
  /** True for the operators that are true when the key is missing (StringNotEquals, NotIpAddress…). */
  readonly negated: boolean;
  /** Builds the positive matcher. Throws an Error describing the bad value when a policy value is invalid. */
  build(values: readonly string[], variablesEnabled: boolean): ValueMatcher;
}
