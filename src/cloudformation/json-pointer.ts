/** JSON pointers (RFC 6901) name the place of a value in the template, for messages and reports. */

/** Appends one reference token to a pointer, escaping `~` and `/`. */
export function childPointer(pointer: string, token: string | number): string {
  return `${pointer}/${String(token).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}
