/**
 * Bool. Policy values are `true`/`false` (JSON booleans or strings, any case); the context value is
 * compared the same way, so `"true"` in a context equals `true` in a policy.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Boolean
 */
import type { OperatorSpec } from './operator.ts';

export const BOOL_OPERATORS: OperatorSpec[] = [
  {
    name: 'Bool',
    negated: false,
    build(values) {
      const wanted = new Set<string>(
        values.map((v) => {
          const lower = v.toLowerCase();
          if (lower !== 'true' && lower !== 'false') throw new Error(`"${v}" is not true or false`);
          return lower;
        }),
      );
      return (v) => wanted.has(v.toLowerCase());
    },
  },
];
