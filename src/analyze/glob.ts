/**
 * IAM-style globs (`*` any run, `?` one character) for matching grant patterns against the
 * template's own ARNs and action names: the policy engine's matcher (src/policy/wildcard.ts),
 * compiled once per pattern.
 */
import { compileGlob, type StringMatcher } from '../policy/wildcard.ts';

const cache = new Map<string, StringMatcher>();

export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let matcher = cache.get(key);
  if (!matcher) cache.set(key, (matcher = compileGlob(pattern, ignoreCase)));
  return matcher(value);
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}
