/**
 * Dynamic references (`{{resolve:ssm:…}}`, `{{resolve:secretsmanager:…}}`) are read by
 * CloudFormation at deployment. After resolution, any string that holds one becomes a token; this
 * runs on final values, so a reference assembled by Fn::Join or Fn::Sub is seen whole.
 */
import { unresolved } from './unresolved.ts';

const MARK = '{{resolve:';

export function markDynamicReferences(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.includes(MARK)
      ? unresolved('dynamic-reference', value, `"${value}" is read at deployment`)
      : value;
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const marked = markDynamicReferences(value[i]);
      if (marked !== value[i]) (copy ??= [...value])[i] = marked;
    }
    return copy ?? value;
  }
  if (
    typeof value === 'object' &&
    value !== null &&
    (value as { __unresolved?: unknown }).__unresolved !== true
  ) {
    let copy: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      const marked = markDynamicReferences(item);
      if (marked !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = marked;
    }
    return copy ?? value;
  }
  return value;
}
