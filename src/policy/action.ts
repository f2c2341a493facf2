/**
 * Action matching: case-insensitive, with `*` and `?`; `"*"` alone matches every action.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 */
import type { StringMatcher } from './wildcard.ts';
import { compileGlob } from './wildcard.ts';

/** Compiles action patterns; the returned matcher expects an already-lowered action. */
export function compileActions(patterns: readonly string[]): (lowerAction: string) => boolean {
  const lowered = patterns.map((p) => p.toLowerCase());
  if (lowered.includes('*')) return () => true;
  const exact = new Set(lowered.filter((p) => !p.includes('*') && !p.includes('?')));
  const globs: StringMatcher[] = lowered
    .filter((p) => p.includes('*') || p.includes('?'))
    .map((p) => compileGlob(p));
  if (globs.length === 0) return (a) => exact.has(a);
  return (a) => {
    if (exact.has(a)) return true;
    for (const g of globs) if (g(a)) return true;
    return false;
  };
}
