/**
 * Null: `"true"` is satisfied when the key is absent (or has no value), `"false"` when it is present.
 * It takes no set operator and no IfExists suffix.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null
 */
import type { RequestContext } from '../request-context.ts';

export type KeyTest = (ctx: RequestContext) => boolean;

export function compileNull(key: string, values: readonly string[]): KeyTest {
  const wanted = values.map((v) => {
    const lower = v.toLowerCase();
    if (lower !== 'true' && lower !== 'false') throw new Error(`"${v}" is not true or false`);
    return lower === 'true';
  });
  const wantAbsent = wanted.includes(true);
  const wantPresent = wanted.includes(false);
  return (ctx) => {
    const absent = ctx.value(key) === undefined;
    return absent ? wantAbsent : wantPresent;
  };
}
