/**
 * IAM-style glob (`*` any run, `?` one character) compiled to a RegExp, cached. Used to match
 * grant patterns against the template's own ARNs and action names.
 */
const cache = new Map<string, RegExp>();

export function globToRegExp(pattern: string, ignoreCase = false): RegExp {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regexp = cache.get(key);
  if (!regexp) {
    const source = pattern
      .split('')
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
      .join('');
    regexp = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
    cache.set(key, regexp);
  }
  return regexp;
}

export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?'))
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  return globToRegExp(pattern, ignoreCase).test(value);
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}
