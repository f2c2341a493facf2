/**
 * Compiles a statement's Condition block into one closure. Within a block every operator and every
 * key must be true (AND); the values listed for one key are alternatives (OR).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html
 */
import type { RequestContext } from '../request-context.ts';
import { lowerConditionKey } from '../request-context.ts';
import type { OperatorSpec } from './operator.ts';
import { STRING_OPERATORS } from './string.ts';
import { NUMERIC_OPERATORS } from './numeric.ts';
import { DATE_OPERATORS } from './date.ts';
import { BOOL_OPERATORS } from './bool.ts';
import { BINARY_OPERATORS } from './binary.ts';
import { IP_OPERATORS } from './ip.ts';
import { ARN_OPERATORS } from './arn.ts';
import { compileNull } from './null.ts';
import { splitIfExists } from './if-exists.ts';
import { combine, splitSetQualifier } from './set-operators.ts';

export type ConditionTest = (ctx: RequestContext) => boolean;

const OPERATORS = new Map<string, OperatorSpec>(
  [
    ...STRING_OPERATORS,
    ...NUMERIC_OPERATORS,
    ...DATE_OPERATORS,
    ...BOOL_OPERATORS,
    ...BINARY_OPERATORS,
    ...IP_OPERATORS,
    ...ARN_OPERATORS,
  ].map((op) => [op.name.toLowerCase(), op]),
);

/** An error in a Condition block; `field` is the path inside the block (e.g. `StringEquals/aws:SourceVpce`). */
export class ConditionError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** The parsed (already validated as string lists) Condition block. */
export type ConditionBlock = Record<string, Record<string, string[]>>;

/** Compiles one operator + key + values. */
export function compileClause(
  operator: string,
  key: string,
  values: readonly string[],
  variablesEnabled: boolean,
): ConditionTest {
  const field = `${operator}/${key}`;
  try {
    const { qualifier, rest } = splitSetQualifier(operator);
    const lowerKey = lowerConditionKey(key);
    if (rest.toLowerCase() === 'null') {
      if (qualifier !== 'none') throw new Error('Null takes no set operator');
      return compileNull(lowerKey, values);
    }
    const { base, ifExists } = splitIfExists(rest);
    const spec = OPERATORS.get(base.toLowerCase());
    if (!spec) throw new Error(`unknown condition operator "${operator}"`);
    if (values.length === 0) throw new Error('a condition needs at least one value');
    return combine(lowerKey, spec.build(values, variablesEnabled), spec.negated, qualifier, ifExists);
  } catch (error) {
    if (error instanceof ConditionError) throw error;
    throw new ConditionError(error instanceof Error ? error.message : String(error), field);
  }
}

/** Compiles a whole Condition block (AND of all clauses). */
export function compileCondition(
  block: ConditionBlock,
  variablesEnabled: boolean,
): ConditionTest | undefined {
  const tests: ConditionTest[] = [];
  for (const operator of Object.keys(block)) {
    const keys = block[operator];
    const names = Object.keys(keys);
    if (names.length === 0)
      throw new ConditionError('an operator needs at least one condition key', operator);
    for (const key of names) tests.push(compileClause(operator, key, keys[key], variablesEnabled));
  }
  if (tests.length === 0) return undefined;
  if (tests.length === 1) return tests[0];
  if (tests.length === 2) {
    const [first, second] = tests;
    return (ctx) => first(ctx) && second(ctx);
  }
  return (ctx) => {
    for (let i = 0; i < tests.length; i++) if (!tests[i](ctx)) return false;
    return true;
  };
}
