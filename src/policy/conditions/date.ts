/**
 * Date operators. Values are ISO-8601 dates/times (`2026-01-01`, `2026-01-01T12:00:00Z`) or epoch
 * seconds (`1767225600`), on either side.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
 */
import type { OperatorSpec } from './operator.ts';
import { comparisonMatcher } from './numeric.ts';

const EPOCH = /^-?\d+(\.\d+)?$/;
const ISO = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds since the epoch, or undefined when the text is neither ISO-8601 nor epoch seconds. */
export function parseDate(text: string): number | undefined {
  const t = text.trim();
  if (EPOCH.test(t)) return Number(t) * 1000;
  if (!ISO.test(t)) return undefined;
  // A date-time without a zone is read as UTC, as AWS does.
  const zoned = /[Tt ]\d{2}:\d{2}/.test(t) && !/([Zz]|[+-]\d{2}:?\d{2})$/.test(t) ? `${t}Z` : t;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : ms;
}

function op(name: string, negated: boolean, compare: (c: number, p: number) => boolean): OperatorSpec {
  return { name, negated, build: (values) => comparisonMatcher(values, parseDate, 'date', compare) };
}

export const DATE_OPERATORS: OperatorSpec[] = [
  op('DateEquals', false, (c, p) => c === p),
  op('DateNotEquals', true, (c, p) => c === p),
  op('DateLessThan', false, (c, p) => c < p),
  op('DateLessThanEquals', false, (c, p) => c <= p),
  op('DateGreaterThan', false, (c, p) => c > p),
  op('DateGreaterThanEquals', false, (c, p) => c >= p),
];
