/**
 * `…IfExists`: the condition is true when the key is absent; otherwise the base operator decides.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists
 */
const SUFFIX = 'IfExists';

/** Splits `StringEqualsIfExists` into `StringEquals` and true. */
export function splitIfExists(operator: string): { base: string; ifExists: boolean } {
  if (operator.length > SUFFIX.length && operator.toLowerCase().endsWith(SUFFIX.toLowerCase())) {
    return { base: operator.slice(0, -SUFFIX.length), ifExists: true };
  }
  return { base: operator, ifExists: false };
}
