/** JSON pointers (RFC 6901) name the place of a value in the template, for messages and reports. */

/** Appends one reference token to a pointer, escaping `~` and `/` (rare: checked before replacing). */
export function childPointer(pointer: string, token: string | number): string {
  if (typeof token === 'number') return `${pointer}/${token}`;
  if (!token.includes('~') && !token.includes('/')) return `${pointer}/${token}`;
  return `${pointer}/${token.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}
