/**
 * The request context as the evaluator sees it: condition keys lowered once (keys are
 * case-insensitive), every value a string array (single-valued keys have one element).
 */

/** What callers may put in a context: strings, string lists, and for convenience numbers/booleans. */
export type ContextValue = string | number | boolean | readonly (string | number | boolean)[];

export type RawContext = Readonly<Record<string, ContextValue>>;

export interface RequestContext {
  /** Values of a key (already lowered), or undefined when the key is absent or empty. */
  get(lowerKey: string): readonly string[] | undefined;
}

const EMPTY: readonly string[] = [];

class MapContext implements RequestContext {
  constructor(private readonly values: Map<string, readonly string[]>) {}
  get(lowerKey: string): readonly string[] | undefined {
    const v = this.values.get(lowerKey);
    return v === undefined || v.length === 0 ? undefined : v;
  }
}

/** Normalizes a raw context (keys lowered, values stringified). Later duplicate keys win. */
export function normalizeContext(raw: RawContext | undefined): RequestContext {
  const values = new Map<string, readonly string[]>();
  if (raw) {
    for (const key of Object.keys(raw)) {
      const v = raw[key];
      if (Array.isArray(v)) values.set(key.toLowerCase(), v.length === 0 ? EMPTY : v.map(String));
      else values.set(key.toLowerCase(), [String(v)]);
    }
  }
  return new MapContext(values);
}
