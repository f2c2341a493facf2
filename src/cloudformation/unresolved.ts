/**
 * Values the loader cannot know before deployment stay explicit tokens (never guessed).
 * A token inside a resolved value is collected with its place into `Template.unresolved`.
 */
import type { Unresolved, UnresolvedRef } from './types.ts';
import { childPointer } from './json-pointer.ts';

export function unresolved(intrinsic: string, expression: unknown, reason: string): Unresolved {
  return { __unresolved: true, intrinsic, expression, reason };
}

export function isUnresolved(value: unknown): value is Unresolved {
  return (
    typeof value === 'object' && value !== null && (value as { __unresolved?: unknown }).__unresolved === true
  );
}

/** The first token anywhere inside `value`, or undefined when `value` is fully resolved. */
export function findUnresolved(value: unknown): Unresolved | undefined {
  if (isUnresolved(value)) return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findUnresolved(item);
      if (found) return found;
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) {
      const found = findUnresolved(item);
      if (found) return found;
    }
  }
  return undefined;
}

/** A token for an intrinsic whose input holds a token: the reason names the root cause. */
export function propagated(intrinsic: string, expression: unknown, cause: Unresolved): Unresolved {
  return unresolved(
    intrinsic,
    expression,
    `depends on an unresolved value (${cause.intrinsic}: ${cause.reason})`,
  );
}

/** Every token inside `value`, with its JSON pointer; the walk does not enter tokens. */
export function collectUnresolved(
  value: unknown,
  logicalId: string,
  pointer: string,
  into: UnresolvedRef[],
): void {
  if (isUnresolved(value)) {
    into.push({ logicalId, pointer, token: value });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => collectUnresolved(item, logicalId, childPointer(pointer, index), into));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      collectUnresolved(item, logicalId, childPointer(pointer, key), into);
    }
  }
}
