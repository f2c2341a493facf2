/**
 * How one condition (operator + key + values) becomes true or false, for single and multivalued keys.
 *
 * - Plain operator: positive operators are true when some context value matches some policy value;
 *   negated operators are true when no context value matches any policy value. On a missing key the
 *   positive ones are false and the negated ones are TRUE.
 * - `ForAnyValue:`: true when at least one context value satisfies the operator; false on a missing key.
 * - `ForAllValues:`: true when every context value satisfies the operator; TRUE on a missing or empty
 *   key (vacuous truth — a real bypass when used in Allow statements).
 * - `…IfExists`: true on a missing key, otherwise as above.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
import type { RequestContext } from '../request-context.ts';
import type { ValueMatcher } from './operator.ts';

export type SetQualifier = 'none' | 'ForAnyValue' | 'ForAllValues';

/** Splits `ForAllValues:StringLike` into its qualifier and operator. */
export function splitSetQualifier(operator: string): { qualifier: SetQualifier; rest: string } {
  const colon = operator.indexOf(':');
  if (colon < 0) return { qualifier: 'none', rest: operator };
  const prefix = operator.slice(0, colon).toLowerCase();
  const rest = operator.slice(colon + 1);
  if (prefix === 'foranyvalue') return { qualifier: 'ForAnyValue', rest };
  if (prefix === 'forallvalues') return { qualifier: 'ForAllValues', rest };
  throw new Error(`unknown set operator "${operator.slice(0, colon)}" (use ForAnyValue or ForAllValues)`);
}

export function combine(
  key: string,
  matchAny: ValueMatcher,
  negated: boolean,
  qualifier: SetQualifier,
  ifExists: boolean,
): (ctx: RequestContext) => boolean {
  const satisfies = (v: string, ctx: RequestContext): boolean =>
    negated ? !matchAny(v, ctx) : matchAny(v, ctx);
  // Single-valued keys (most) come as a string: tested without a loop.
  if (qualifier === 'ForAllValues') {
    return (ctx) => {
      const values = ctx.value(key);
      if (values === undefined) return true;
      if (typeof values === 'string') return satisfies(values, ctx);
      for (let i = 0; i < values.length; i++) if (!satisfies(values[i], ctx)) return false;
      return true;
    };
  }
  if (qualifier === 'ForAnyValue') {
    return (ctx) => {
      const values = ctx.value(key);
      if (values === undefined) return ifExists;
      if (typeof values === 'string') return satisfies(values, ctx);
      for (let i = 0; i < values.length; i++) if (satisfies(values[i], ctx)) return true;
      return false;
    };
  }
  return (ctx) => {
    const values = ctx.value(key);
    if (values === undefined) return ifExists || negated;
    let any = false;
    if (typeof values === 'string') any = matchAny(values, ctx);
    else {
      for (let i = 0; i < values.length; i++) {
        if (matchAny(values[i], ctx)) {
          any = true;
          break;
        }
      }
    }
    return negated ? !any : any;
  };
}
