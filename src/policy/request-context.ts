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

/**
 * Lowered spellings of the keys seen so far. Contexts repeat the same few dozen keys on every
 * request; property names are interned strings, so a lookup is cheaper than `toLowerCase` (which
 * allocates a new string that then has to be hashed again).
 */
const loweredKeys = new Map<string, string>();
const LOWERED_KEYS_LIMIT = 10_000;

function lowerKey(key: string): string {
  let lower = loweredKeys.get(key);
  if (lower === undefined) {
    if (loweredKeys.size >= LOWERED_KEYS_LIMIT) loweredKeys.clear();
    lower = key.toLowerCase();
    loweredKeys.set(key, lower);
  }
  return lower;
}

/**
 * Lowers keys lazily: many decisions never reach a condition, so the map is only built on the first
 * lookup. Values are kept as the caller gave them and turned into string arrays when asked for
 * (a condition reads two or three keys of the dozen a context holds).
 */
class LazyContext implements RequestContext {
  private values: Map<string, ContextValue> | undefined;
  constructor(private readonly raw: RawContext | undefined) {}
  get(lowerKey: string): readonly string[] | undefined {
    let values = this.values;
    if (values === undefined) values = this.values = build(this.raw);
    const v = values.get(lowerKey);
    if (v === undefined) return undefined;
    if (typeof v === 'string') return [v];
    if (typeof v === 'number' || typeof v === 'boolean') return [String(v)];
    if (v.length === 0) return undefined;
    for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return v.map(String);
    return v as readonly string[];
  }
}

function build(raw: RawContext | undefined): Map<string, ContextValue> {
  const values = new Map<string, ContextValue>();
  if (!raw) return values;
  const keys = Object.keys(raw);
  for (let i = 0; i < keys.length; i++) values.set(lowerKey(keys[i]), raw[keys[i]]);
  return values;
}

/** Normalizes a raw context (keys lowered, values stringified). Later duplicate keys win. */
export function normalizeContext(raw: RawContext | undefined): RequestContext {
  return new LazyContext(raw);
}
