/**
 * ARN operators. ArnEquals and ArnLike behave the same: each of the six `:`-separated parts is
 * compared separately, case-sensitively, with `*` and `?` wildcards. A context value that is not an
 * ARN matches nothing.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
 */
import type { OperatorSpec, ValueMatcher } from './operator.ts';
import { compileArnPattern, isArn, parseArn } from '../arn.ts';

function build(values: readonly string[], variablesEnabled: boolean): ValueMatcher {
  const matchers = values.map((v) => compileArnPattern(v, variablesEnabled));
  // Only patterns with policy variables compare the parsed parts; the others test the raw text,
  // so the value is split only when one of those is present.
  const needsParts = variablesEnabled && values.some((v) => v.includes('${'));
  if (!needsParts) {
    return (v, ctx) => {
      if (!isArn(v)) return false;
      for (let i = 0; i < matchers.length; i++) if (matchers[i](v, undefined, ctx)) return true;
      return false;
    };
  }
  return (v, ctx) => {
    const parsed = parseArn(v);
    if (!parsed) return false;
    for (let i = 0; i < matchers.length; i++) if (matchers[i](v, parsed, ctx)) return true;
    return false;
  };
}

export const ARN_OPERATORS: OperatorSpec[] = [
  { name: 'ArnEquals', negated: false, build },
  { name: 'ArnLike', negated: false, build },
  { name: 'ArnNotEquals', negated: true, build },
  { name: 'ArnNotLike', negated: true, build },
];
