/** Shared helpers for the policy tests. */
import { compileClause } from '../../src/policy/conditions/index.ts';
import type { RawContext } from '../../src/policy/request-context.ts';
import { normalizeContext } from '../../src/policy/request-context.ts';

/** Evaluates one condition clause against a context. */
export function clause(
  operator: string,
  key: string,
  values: string[],
  context: RawContext,
  variables = true,
): boolean {
  return compileClause(operator, key, values, variables)(normalizeContext(context));
}

/** One row of a condition table: operator, key, policy values, context, expected result. */
export type Row = [operator: string, values: string[], context: RawContext, expected: boolean, why: string];
