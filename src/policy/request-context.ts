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

/**
 * Lowers keys lazily: many decisions never reach a condition, so the map is only built on the first
 * lookup. Values that are already strings are used as they are.
 */
class LazyContext implements RequestContext {
  private values: Map<string, readonly string[]> | undefined;
  constructor(private readonly raw: RawContext | undefined) {}
  get(lowerKey: string): readonly string[] | undefined {
    let values = this.values;
    if (values === undefined) values = this.values = build(this.raw);
    const v = values.get(lowerKey);
    return v === undefined || v.length === 0 ? undefined : v;
  }
}

function build(raw: RawContext | undefined): Map<string, readonly string[]> {
  const values = new Map<string, readonly string[]>();
  if (!raw) return values;
  for (const key of Object.keys(raw)) {
    const v = raw[key];
    if (typeof v === 'string') values.set(key.toLowerCase(), [v]);
    else if (Array.isArray(v)) values.set(key.toLowerCase(), v.length === 0 ? EMPTY : v.map(String));
    else values.set(key.toLowerCase(), [String(v)]);
  }
  return values;
}

/** Normalizes a raw context (keys lowered, values stringified). Later duplicate keys win. */
export function normalizeContext(raw: RawContext | undefined): RequestContext {
  return new LazyContext(raw);
}
