/**
 * BinaryEquals: the policy holds base64; the context value (also base64) is compared byte for byte.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_BinaryEquals
 */
import type { OperatorSpec } from './operator.ts';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

function canonical(v: string): string | undefined {
  const t = v.trim();
  if (!BASE64.test(t)) return undefined;
  return Buffer.from(t, 'base64').toString('base64');
}

export const BINARY_OPERATORS: OperatorSpec[] = [
  {
    name: 'BinaryEquals',
    negated: false,
    build(values) {
      const wanted = new Set(
        values.map((v) => {
          const c = canonical(v);
          if (c === undefined) throw new Error(`"${v}" is not base64`);
          return c;
        }),
      );
      return (v) => {
        const c = canonical(v);
        return c !== undefined && wanted.has(c);
      };
    },
  },
];
