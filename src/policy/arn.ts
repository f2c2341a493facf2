/**
 * ARNs: parsing, and patterns matched segment by segment (a wildcard never crosses the `:` between
 * partition, service, region and account; the resource part may contain `:` and `/`).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
import type { RequestContext } from './request-context.ts';
import { compileGlobTokens, compileGlobTokensCached, prefixMatcher } from './wildcard.ts';
import type { Template } from './variables.ts';
import { parseTemplate, resolveGlob } from './variables.ts';

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** `arn:` by character codes: String.prototype.startsWith is slow on Node 20's V8. */
function startsWithArn(value: string): boolean {
  return (
    value.charCodeAt(0) === 97 &&
    value.charCodeAt(1) === 114 &&
    value.charCodeAt(2) === 110 &&
    value.charCodeAt(3) === 58
  );
}

/** Whether parseArn would accept the value, without building the parts. */
export function isArn(value: string): boolean {
  if (!startsWithArn(value)) return false;
  let at = 3;
  for (let separators = 0; separators < 4; separators++) {
    at = value.indexOf(':', at + 1);
    if (at < 0) return false;
  }
  return true;
}

/** Splits an ARN into its parts, or undefined when it is not `arn:p:s:r:a:resource`. */
export function parseArn(value: string): ParsedArn | undefined {
  if (!startsWithArn(value)) return undefined;
  const p1 = value.indexOf(':', 4);
  const p2 = p1 < 0 ? -1 : value.indexOf(':', p1 + 1);
  const p3 = p2 < 0 ? -1 : value.indexOf(':', p2 + 1);
  const p4 = p3 < 0 ? -1 : value.indexOf(':', p3 + 1);
  if (p4 < 0) return undefined;
  return {
    partition: value.slice(4, p1),
    service: value.slice(p1 + 1, p2),
    region: value.slice(p2 + 1, p3),
    account: value.slice(p3 + 1, p4),
    resource: value.slice(p4 + 1),
  };
}

/** Splits on `:` outside `${…}` references, at most `limit` pieces (the last keeps the rest). */
function splitOutsideVariables(raw: string, limit: number): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < raw.length && pieces.length < limit - 1; i++) {
    const ch = raw[i];
    if (ch === '$' && raw[i + 1] === '{') depth++;
    else if (ch === '}' && depth > 0) depth--;
    else if (ch === ':' && depth === 0) {
      pieces.push(raw.slice(start, i));
      start = i + 1;
    }
  }
  pieces.push(raw.slice(start));
  return pieces;
}

/** Matches an ARN given both raw and parsed (parsed may be undefined for non-ARN values). */
export type ArnMatcher = (
  raw: string,
  parsed: ParsedArn | undefined,
  ctx: RequestContext | undefined,
) => boolean;

type SegmentMatcher = (value: string, ctx: RequestContext | undefined) => boolean;

function segmentMatcher(template: Template): SegmentMatcher {
  if (!template.hasVariables) {
    const m = compileGlobTokens(resolveGlob(template, undefined) ?? []);
    return (v) => m(v);
  }
  return (v, ctx) => {
    const tokens = resolveGlob(template, ctx);
    return tokens !== undefined && compileGlobTokensCached(tokens)(v);
  };
}

/** Compiles an ARN pattern (wildcards and, when enabled, policy variables). */
export function compileArnPattern(pattern: string, variablesEnabled: boolean): ArnMatcher {
  if (pattern === '*') return () => true;
  const pieces = splitOutsideVariables(pattern, 6);
  // Each of the six parts is compared separately, so a pattern with fewer parts matches no ARN.
  if (pieces.length < 6 || pieces[0] !== 'arn') return () => false;
  if (!pattern.includes('${') || !variablesEnabled) return staticArnMatcher(pieces);
  const [, partition, service, region, account, resource] = pieces.map((p) =>
    segmentMatcher(parseTemplate(p, variablesEnabled)),
  );
  return (_raw, parsed, ctx) =>
    parsed !== undefined &&
    partition(parsed.partition, ctx) &&
    service(parsed.service, ctx) &&
    region(parsed.region, ctx) &&
    account(parsed.account, ctx) &&
    resource(parsed.resource, ctx);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A concatenated string is a rope in V8; comparing against it on every call is slow. Flatten it once. */
function flat(s: string): string {
  return [...s].join('');
}

/**
 * A pattern without variables becomes one test on the raw ARN: wildcards in the first five parts
 * cannot cross a `:` (`[^:]*`), wildcards in the resource part can match anything. The common
 * `arn:…:prefix*` shape is a prefix test.
 * None needs the parsed ARN: each requires the five `:` separators after `arn:`, so a value it
 * matches is an ARN.
 */
function staticArnMatcher(pieces: string[]): ArnMatcher {
  const head = pieces.slice(0, 5);
  const resource = pieces[5];
  const headHasWildcard = head.some((p) => /[*?]/.test(p));
  const headText = head.join(':') + ':';
  if (!headHasWildcard && !/[*?]/.test(resource)) {
    const exact = flat(headText + resource);
    return (raw) => raw === exact;
  }
  if (!headHasWildcard && resource.indexOf('*') === resource.length - 1 && !resource.includes('?')) {
    return prefixMatcher(headText + resource.slice(0, -1));
  }
  const segment = (p: string, within: string): string =>
    p
      .split('')
      .map((ch) => (ch === '*' ? `${within}*` : ch === '?' ? within : escapeRegExp(ch)))
      .join('');
  const source = head.map((p) => segment(p, '[^:]')).join(':') + ':' + segment(resource, '.');
  // Anchored: a value that differs in the literal text before the first wildcard fails at once.
  const re = new RegExp(`^${source}$`, 's');
  return (raw) => re.test(raw);
}

/** Convenience for static patterns (no variables). */
export function arnMatches(pattern: string, arn: string): boolean {
  return compileArnPattern(pattern, false)(arn, parseArn(arn), undefined);
}
