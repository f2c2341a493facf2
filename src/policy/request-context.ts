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
  /**
   * The same values without wrapping a single value in an array: a string for a single value, a
   * list otherwise; undefined when the key is absent or empty. What the hot path reads.
   */
  value(lowerKey: string): string | readonly string[] | undefined;
}

/**
 * Lowered spellings of the keys seen so far. Contexts repeat the same few dozen keys on every
 * request; property names are interned strings, so a lookup is cheaper than `toLowerCase` (which
 * allocates a new string that then has to be hashed again). Every spelling of one key maps to one
 * string object, so comparing a context key with a policy's key (lowered the same way, see
 * lowerConditionKey) is a pointer comparison when they are equal.
 */
const loweredKeys = new Map<string, string>();
const canonicalLowered = new Map<string, string>();
const LOWERED_KEYS_LIMIT = 10_000;

/** The lowered form of a condition key, as one shared string object per distinct key. */
export function lowerConditionKey(key: string): string {
  let lower = loweredKeys.get(key);
  if (lower === undefined) {
    if (loweredKeys.size >= LOWERED_KEYS_LIMIT) {
      loweredKeys.clear();
      canonicalLowered.clear();
    }
    const fresh = key.toLowerCase();
    lower = canonicalLowered.get(fresh);
    if (lower === undefined) {
      lower = fresh;
      canonicalLowered.set(fresh, fresh);
    }
    loweredKeys.set(key, lower);
  }
  return lower;
}

/**
 * The lowered keys of recently seen key lists. The contexts of one workload's requests have the
 * same keys in the same order (buildContext sets them in a fixed order), so comparing the key
 * list with a few remembered ones — property names are interned, so that is pointer comparison —
 * is cheaper than looking each key up again.
 */
interface KeyLayout {
  readonly keys: readonly string[];
  readonly lowered: readonly string[];
}
const layouts: KeyLayout[] = [];
const LAYOUTS_KEPT = 8;

function loweredLayout(keys: readonly string[]): readonly string[] {
  for (let l = 0; l < layouts.length; l++) {
    const layout = layouts[l];
    const known = layout.keys;
    if (known.length !== keys.length) continue;
    let same = true;
    for (let i = 0; i < keys.length; i++) {
      if (known[i] !== keys[i]) {
        same = false;
        break;
      }
    }
    if (!same) continue;
    // Most recently used first (moved without allocating).
    for (let j = l; j > 0; j--) layouts[j] = layouts[j - 1];
    layouts[0] = layout;
    return layout.lowered;
  }
  const lowered = new Array<string>(keys.length);
  for (let i = 0; i < keys.length; i++) lowered[i] = lowerConditionKey(keys[i]);
  layouts.unshift({ keys, lowered });
  if (layouts.length > LAYOUTS_KEPT) layouts.pop();
  return lowered;
}

/**
 * Lowers keys lazily: many decisions never reach a condition, so the keys are only lowered on the
 * first lookup. Values are kept as the caller gave them and converted when asked for (a condition
 * reads two or three keys of the dozen a context holds). A context holds a dozen or two keys: a
 * backwards scan of the lowered keys beats building a hash map per request, and finds the later
 * of two spellings of one key first.
 */
class LazyContext implements RequestContext {
  private keys: readonly string[] | undefined;
  private lowered: readonly string[] | undefined;
  constructor(private readonly raw: RawContext | undefined) {}

  get(lowerKey: string): readonly string[] | undefined {
    const v = this.value(lowerKey);
    return typeof v === 'string' ? [v] : v;
  }

  value(lowerKey: string): string | readonly string[] | undefined {
    let lowered = this.lowered;
    if (lowered === undefined) {
      const keys = (this.keys = this.raw ? Object.keys(this.raw) : []);
      lowered = this.lowered = loweredLayout(keys);
    }
    for (let i = lowered.length - 1; i >= 0; i--) {
      if (lowered[i] === lowerKey) return stringValue((this.raw as RawContext)[(this.keys as string[])[i]]);
    }
    return undefined;
  }
}

/** A context value as a string or a string list; undefined for an empty list. */
function stringValue(v: ContextValue): string | readonly string[] | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v.length === 0) return undefined;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return v.map(String);
  return v as readonly string[];
}

/** Normalizes a raw context (keys lowered, values stringified). Later duplicate keys win. */
export function normalizeContext(raw: RawContext | undefined): RequestContext {
  return new LazyContext(raw);
}
