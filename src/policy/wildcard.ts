/**
 * Glob matching for IAM: `*` matches any run of characters (including none), `?` exactly one.
 * Patterns are compiled once into the cheapest matcher that is exact (equality, prefix, suffix, regex).
 */

/** A piece of a pattern: literal text, or a wildcard. Escaped `${*}`/`${?}` become literal text. */
export type GlobToken = { text: string } | { wildcard: '*' | '?' };

export type StringMatcher = (value: string) => boolean;

/** Splits a raw pattern into tokens; every `*` and `?` in it is a wildcard. */
export function tokenizeGlob(pattern: string): GlobToken[] {
  const tokens: GlobToken[] = [];
  let text = '';
  for (const ch of pattern) {
    if (ch === '*' || ch === '?') {
      if (text) tokens.push({ text });
      text = '';
      tokens.push({ wildcard: ch });
    } else {
      text += ch;
    }
  }
  if (text) tokens.push({ text });
  return tokens;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * `value.startsWith(prefix)`, as a matcher. V8's startsWith (Node 20) costs about ten times an
 * anchored regex test on ARN-length prefixes (measured with bench/authorize.ts); a length and
 * last-character check rejects most other values before either.
 */
export function prefixMatcher(prefix: string): StringMatcher {
  const n = prefix.length;
  if (n === 0) return () => true;
  const last = prefix.charCodeAt(n - 1);
  const re = new RegExp(`^${escapeRegExp(prefix)}`);
  return (v) => v.length >= n && v.charCodeAt(n - 1) === last && re.test(v);
}

/** Compiles tokens into a matcher. `ignoreCase` lowers both sides (the pattern once, the value per call). */
export function compileGlobTokens(tokens: GlobToken[], ignoreCase = false): StringMatcher {
  const norm = (s: string): string => (ignoreCase ? s.toLowerCase() : s);
  const wildcards = tokens.filter((t) => 'wildcard' in t);
  if (wildcards.length === 0) {
    const exact = norm(tokens.map((t) => ('text' in t ? t.text : '')).join(''));
    return ignoreCase ? (v) => v.toLowerCase() === exact : (v) => v === exact;
  }
  if (tokens.length === 1 && 'wildcard' in tokens[0] && tokens[0].wildcard === '*') return () => true;
  const last = tokens[tokens.length - 1];
  if (wildcards.length === 1 && 'wildcard' in last && last.wildcard === '*') {
    const prefix = norm(
      tokens
        .slice(0, -1)
        .map((t) => ('text' in t ? t.text : ''))
        .join(''),
    );
    const startsWith = prefixMatcher(prefix);
    return ignoreCase ? (v) => startsWith(v.toLowerCase()) : startsWith;
  }
  const first = tokens[0];
  if (wildcards.length === 1 && 'wildcard' in first && first.wildcard === '*') {
    const suffix = norm(
      tokens
        .slice(1)
        .map((t) => ('text' in t ? t.text : ''))
        .join(''),
    );
    return ignoreCase ? (v) => v.toLowerCase().endsWith(suffix) : (v) => v.endsWith(suffix);
  }
  const source = tokens
    .map((t) => ('text' in t ? escapeRegExp(norm(t.text)) : t.wildcard === '*' ? '.*' : '.'))
    .join('');
  // Anchored: a value that differs in the literal text before the first wildcard fails at once.
  // No `i` flag: the regex's case folding differs from toLowerCase for some characters (e.g. "İ"
  // lowers to two code units), and every form here must fold alike, so the value is lowered.
  const re = new RegExp(`^${source}$`, 's');
  return ignoreCase ? (v) => re.test(v.toLowerCase()) : (v) => re.test(v);
}

/** Compiles a raw glob pattern. */
export function compileGlob(pattern: string, ignoreCase = false): StringMatcher {
  return compileGlobTokens(tokenizeGlob(pattern), ignoreCase);
}

const dynamicCache = new Map<string, StringMatcher>();

/**
 * For patterns built per request (policy variables resolved from the context): the same resolved
 * pattern recurs for the same caller, so compiled matchers are kept in a small bounded cache.
 */
export function compileGlobTokensCached(tokens: GlobToken[]): StringMatcher {
  let key = '';
  for (const t of tokens) key += 'text' in t ? `\u0000t${t.text}` : `\u0000${t.wildcard}`;
  let m = dynamicCache.get(key);
  if (m === undefined) {
    if (dynamicCache.size >= 4096) dynamicCache.clear();
    m = compileGlobTokens(tokens);
    dynamicCache.set(key, m);
  }
  return m;
}
