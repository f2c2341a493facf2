/**
 * Numeric operators. Policy values must be numbers; a context value that is not a number matches nothing.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Numeric
 */
import type { OperatorSpec, ValueMatcher } from './operator.ts';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a decimal number, or undefined. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  return NUMBER.test(t) ? Number(t) : undefined;
}

type Compare = (context: number, policy: number) => boolean;

/** Shared by numeric and date families: policy values parsed once, compared with `compare`. */
export function comparisonMatcher(
  values: readonly string[],
  parse: (text: string) => number | undefined,
  what: string,
  compare: Compare,
): ValueMatcher {
  const numbers = values.map((v) => {
    const n = parse(v);
    if (n === undefined) throw new Error(`"${v}" is not a valid ${what}`);
    return n;
  });
  return (v) => {
    const n = parse(v);
    if (n === undefined) return false;
    for (const p of numbers) if (compare(n, p)) return true;
    return false;
  };
}

function op(name: string, negated: boolean, compare: Compare): OperatorSpec {
  return { name, negated, build: (values) => comparisonMatcher(values, parseNumber, 'number', compare) };
}

export const NUMERIC_OPERATORS: OperatorSpec[] = [
  op('NumericEquals', false, (c, p) => c === p),
  op('NumericNotEquals', true, (c, p) => c === p),
  op('NumericLessThan', false, (c, p) => c < p),
  op('NumericLessThanEquals', false, (c, p) => c <= p),
  op('NumericGreaterThan', false, (c, p) => c > p),
  op('NumericGreaterThanEquals', false, (c, p) => c >= p),
];
