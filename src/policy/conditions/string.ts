/**
 * String operators. StringEquals/StringNotEquals compare exactly (case-sensitive, `*` is an ordinary
 * character); the IgnoreCase variants fold case; only StringLike/StringNotLike honour `*` and `?`.
 * Policy variables are allowed in all of them.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String
 */
import type { OperatorSpec, ValueMatcher } from './operator.ts';
import { parseTemplate, resolveGlob, resolveText } from '../variables.ts';
import { compileGlobTokens, compileGlobTokensCached } from '../wildcard.ts';

function equalsMatcher(
  values: readonly string[],
  variablesEnabled: boolean,
  ignoreCase: boolean,
): ValueMatcher {
  const fold = (s: string): string => (ignoreCase ? s.toLowerCase() : s);
  const templates = values.map((v) => parseTemplate(v, variablesEnabled));
  const staticSet = new Set(
    templates.filter((t) => !t.hasVariables).map((t) => fold(resolveText(t, undefined) ?? '')),
  );
  const dynamic = templates.filter((t) => t.hasVariables);
  if (dynamic.length === 0) return (v) => staticSet.has(fold(v));
  return (v, ctx) => {
    const folded = fold(v);
    if (staticSet.has(folded)) return true;
    for (const t of dynamic) {
      const resolved = resolveText(t, ctx);
      if (resolved !== undefined && fold(resolved) === folded) return true;
    }
    return false;
  };
}

function likeMatcher(values: readonly string[], variablesEnabled: boolean): ValueMatcher {
  const templates = values.map((v) => parseTemplate(v, variablesEnabled));
  const statics = templates
    .filter((t) => !t.hasVariables)
    .map((t) => compileGlobTokens(resolveGlob(t, undefined) ?? []));
  const dynamic = templates.filter((t) => t.hasVariables);
  return (v, ctx) => {
    for (const m of statics) if (m(v)) return true;
    for (const t of dynamic) {
      const tokens = resolveGlob(t, ctx);
      if (tokens !== undefined && compileGlobTokensCached(tokens)(v)) return true;
    }
    return false;
  };
}

export const STRING_OPERATORS: OperatorSpec[] = [
  { name: 'StringEquals', negated: false, build: (vals, vars) => equalsMatcher(vals, vars, false) },
  { name: 'StringNotEquals', negated: true, build: (vals, vars) => equalsMatcher(vals, vars, false) },
  { name: 'StringEqualsIgnoreCase', negated: false, build: (vals, vars) => equalsMatcher(vals, vars, true) },
  {
    name: 'StringNotEqualsIgnoreCase',
    negated: true,
    build: (vals, vars) => equalsMatcher(vals, vars, true),
  },
  { name: 'StringLike', negated: false, build: likeMatcher },
  { name: 'StringNotLike', negated: true, build: likeMatcher },
];
