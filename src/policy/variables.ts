/**
 * Policy variables: `${aws:username}`, `${aws:PrincipalTag/team}`, the default-value form
 * `${aws:username, 'nobody'}`, and the escapes `${*}` `${?}` `${$}` that stand for the literal
 * characters. Variables are only recognised in policies whose Version is 2012-10-17.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
import type { RequestContext } from './request-context.ts';
import { lowerConditionKey } from './request-context.ts';
import type { GlobToken } from './wildcard.ts';
import { tokenizeGlob } from './wildcard.ts';

export type TemplatePart =
  /** Text as written; `escaped` text came from `${*}`-style escapes and is never a wildcard. */
  { text: string; escaped: boolean } | { variable: string; fallback?: string };

export interface Template {
  parts: TemplatePart[];
  hasVariables: boolean;
}

const ESCAPES: Record<string, string> = { '*': '*', '?': '?', $: '$' };

/** Parses `${…}` references. Throws on an unterminated or empty reference. */
export function parseTemplate(raw: string, variablesEnabled: boolean): Template {
  if (!variablesEnabled || !raw.includes('${'))
    return { parts: [{ text: raw, escaped: false }], hasVariables: false };
  const parts: TemplatePart[] = [];
  let hasVariables = false;
  let i = 0;
  while (i < raw.length) {
    const start = raw.indexOf('${', i);
    if (start < 0) {
      parts.push({ text: raw.slice(i), escaped: false });
      break;
    }
    if (start > i) parts.push({ text: raw.slice(i, start), escaped: false });
    const end = raw.indexOf('}', start);
    if (end < 0) throw new Error(`unterminated policy variable in "${raw}"`);
    const inner = raw.slice(start + 2, end);
    if (inner in ESCAPES) {
      parts.push({ text: ESCAPES[inner], escaped: true });
    } else {
      const m = /^\s*([^,\s]+)\s*(?:,\s*'([^']*)'\s*)?$/.exec(inner);
      if (!m) throw new Error(`malformed policy variable "\${${inner}}" in "${raw}"`);
      parts.push(
        m[2] === undefined
          ? { variable: lowerConditionKey(m[1]) }
          : { variable: lowerConditionKey(m[1]), fallback: m[2] },
      );
      hasVariables = true;
    }
    i = end + 1;
  }
  return { parts, hasVariables };
}

/** A variable's value: single-valued keys only; multivalued keys cannot be substituted. */
function lookup(ctx: RequestContext, part: { variable: string; fallback?: string }): string | undefined {
  const values = ctx.value(part.variable);
  if (typeof values === 'string') return values;
  if (values && values.length === 1) return values[0];
  return part.fallback;
}

/** Resolves to plain text (for operators without wildcards). Undefined when a variable is unresolved. */
export function resolveText(template: Template, ctx: RequestContext | undefined): string | undefined {
  let out = '';
  for (const part of template.parts) {
    if ('text' in part) out += part.text;
    else {
      const value = ctx ? lookup(ctx, part) : part.fallback;
      if (value === undefined) return undefined;
      out += value;
    }
  }
  return out;
}

/** Resolves to glob tokens: wildcards only in written text; escapes and variable values are literal. */
export function resolveGlob(template: Template, ctx: RequestContext | undefined): GlobToken[] | undefined {
  const tokens: GlobToken[] = [];
  for (const part of template.parts) {
    if ('text' in part) {
      if (part.escaped) tokens.push({ text: part.text });
      else tokens.push(...tokenizeGlob(part.text));
    } else {
      const value = ctx ? lookup(ctx, part) : part.fallback;
      if (value === undefined) return undefined;
      tokens.push({ text: value });
    }
  }
  return tokens;
}
