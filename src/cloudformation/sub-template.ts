/**
 * The string of `Fn::Sub`, split into literal text and `${Name}` / `${Res.Attr}` variables.
 * `${!Literal}` writes `${Literal}` unchanged (AWS's escape).
 */
export type SubPart = { readonly literal: string } | { readonly variable: string };

export function parseSubString(text: string): SubPart[] {
  const parts: SubPart[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('${', i);
    if (open < 0) break;
    const close = text.indexOf('}', open + 2);
    if (close < 0) break;
    literal += text.slice(i, open);
    const inner = text.slice(open + 2, close);
    if (inner.startsWith('!')) {
      literal += `\${${inner.slice(1)}}`;
    } else {
      if (literal) parts.push({ literal });
      literal = '';
      parts.push({ variable: inner.trim() });
    }
    i = close + 1;
  }
  literal += text.slice(i);
  if (literal) parts.push({ literal });
  return parts;
}

/** `Res.Attr.Sub` → ['Res', 'Attr.Sub']; a name without a dot is a Ref. */
export function splitAttributeName(variable: string): [string, string] | undefined {
  const dot = variable.indexOf('.');
  return dot < 0 ? undefined : [variable.slice(0, dot), variable.slice(dot + 1)];
}
