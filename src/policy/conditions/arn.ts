/**
 * ARN operators. ArnEquals and ArnLike behave the same: each of the six `:`-separated parts is
 * compared separately, case-sensitively, with `*` and `?` wildcards. A context value that is not an
 * ARN matches nothing.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
 */
import type { OperatorSpec } from './operator.ts';
import { compileArnPattern, parseArn } from '../arn.ts';

function build(values: readonly string[], variablesEnabled: boolean) {
  const matchers = values.map((v) => compileArnPattern(v, variablesEnabled));
  return (v: string, ctx: Parameters<ReturnType<OperatorSpec['build']>>[1]) => {
    const parsed = parseArn(v);
    if (!parsed) return false;
    for (const m of matchers) if (m(v, parsed, ctx)) return true;
    return false;
  };
}

export const ARN_OPERATORS: OperatorSpec[] = [
  { name: 'ArnEquals', negated: false, build },
  { name: 'ArnLike', negated: false, build },
  { name: 'ArnNotEquals', negated: true, build },
  { name: 'ArnNotLike', negated: true, build },
];
