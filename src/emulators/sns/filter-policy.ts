/**
 * Subscription filter policies with `FilterPolicyScope: MessageAttributes` (the default): every key
 * of the policy must name a message attribute, and at least one of its values must match the
 * attribute's value ("For each matching property name in the filter policy, at least one property
 * value matches the message attribute value"). Operators: exact string or number, `prefix`,
 * `suffix`, `equals-ignore-case`, `anything-but` (a value, a list, or `{prefix}`), `numeric`
 * (`=`, `<`, `<=`, `>`, `>=`, pairs for ranges) and `exists`. String matching is case-sensitive; a
 * `String.Array` attribute matches when any element does; Binary attributes are never compared.
 * Anything else (MessageBody scope, `$or`, `cidr`, `wildcard`…) is refused by `parseFilterPolicy`
 * with the reason, so the twin can say so at boot. Sources: docs/emulator-semantics.md, "SNS".
 */

/** A message attribute as Publish takes it. */
export interface MessageAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: string;
}

type Condition =
  | { kind: 'equals'; value: string | number }
  | { kind: 'prefix'; value: string }
  | { kind: 'suffix'; value: string }
  | { kind: 'ignore-case'; value: string }
  | { kind: 'anything-but'; values: ReadonlyArray<string | number>; prefix?: string }
  | { kind: 'numeric'; tests: ReadonlyArray<readonly [string, number]> }
  | { kind: 'exists'; value: boolean };

export type FilterPolicy = ReadonlyMap<string, readonly Condition[]>;

const NUMERIC_OPS = new Set(['=', '<', '<=', '>', '>=']);

function conditionOf(key: string, value: unknown): Condition {
  if (typeof value === 'string' || typeof value === 'number') return { kind: 'equals', value };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [op, arg] = entries[0];
      if (op === 'prefix' && typeof arg === 'string') return { kind: 'prefix', value: arg };
      if (op === 'suffix' && typeof arg === 'string') return { kind: 'suffix', value: arg };
      if (op === 'equals-ignore-case' && typeof arg === 'string') return { kind: 'ignore-case', value: arg };
      if (op === 'exists' && typeof arg === 'boolean') return { kind: 'exists', value: arg };
      if (op === 'anything-but') {
        if (typeof arg === 'string' || typeof arg === 'number')
          return { kind: 'anything-but', values: [arg] };
        if (Array.isArray(arg) && arg.every((v) => typeof v === 'string' || typeof v === 'number'))
          return { kind: 'anything-but', values: arg as Array<string | number> };
        if (
          typeof arg === 'object' &&
          arg !== null &&
          typeof (arg as { prefix?: unknown }).prefix === 'string'
        )
          return { kind: 'anything-but', values: [], prefix: (arg as { prefix: string }).prefix };
      }
      if (op === 'numeric' && Array.isArray(arg) && arg.length % 2 === 0 && arg.length > 0) {
        const tests: Array<readonly [string, number]> = [];
        for (let i = 0; i < arg.length; i += 2) {
          const [o, n] = [arg[i], arg[i + 1]];
          if (typeof o !== 'string' || !NUMERIC_OPS.has(o) || typeof n !== 'number') break;
          tests.push([o, n]);
        }
        if (tests.length === arg.length / 2) return { kind: 'numeric', tests };
      }
    }
  }
  throw new Error(
    `filter policy key "${key}": ${JSON.stringify(value)} is not an operator the twin evaluates`,
  );
}

/** Parses a FilterPolicy (JSON text or object); throws with the reason when the twin cannot evaluate it. */
export function parseFilterPolicy(policy: unknown, scope: unknown = 'MessageAttributes'): FilterPolicy {
  if (scope !== undefined && scope !== 'MessageAttributes')
    throw new Error(
      `FilterPolicyScope ${String(scope)} is not evaluated by the twin (MessageAttributes only)`,
    );
  const doc: unknown = typeof policy === 'string' ? JSON.parse(policy) : policy;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new Error('a filter policy is a JSON object');
  const out = new Map<string, Condition[]>();
  for (const [key, values] of Object.entries(doc as Record<string, unknown>)) {
    if (key.startsWith('$')) throw new Error(`filter policy operator ${key} is not evaluated by the twin`);
    if (!Array.isArray(values)) throw new Error(`filter policy key "${key}": values must be an array`);
    out.set(
      key,
      values.map((v) => conditionOf(key, v)),
    );
  }
  return out;
}

function matchesOne(condition: Condition, value: string, isNumber: boolean): boolean {
  const n = Number(value);
  switch (condition.kind) {
    case 'equals':
      return typeof condition.value === 'number'
        ? isNumber && n === condition.value
        : !isNumber && value === condition.value;
    case 'prefix':
      return !isNumber && value.startsWith(condition.value);
    case 'suffix':
      return !isNumber && value.endsWith(condition.value);
    case 'ignore-case':
      return !isNumber && value.toLowerCase() === condition.value.toLowerCase();
    case 'anything-but':
      if (condition.prefix !== undefined) return isNumber || !value.startsWith(condition.prefix);
      return !condition.values.some((v) =>
        typeof v === 'number' ? isNumber && n === v : !isNumber && v === value,
      );
    case 'numeric':
      return (
        isNumber &&
        condition.tests.every(([op, bound]) =>
          op === '='
            ? n === bound
            : op === '<'
              ? n < bound
              : op === '<='
                ? n <= bound
                : op === '>'
                  ? n > bound
                  : n >= bound,
        )
      );
    case 'exists':
      return condition.value;
  }
}

/** The values of an attribute the policy compares: a String.Array's elements, else the one value. */
function valuesOf(attribute: MessageAttribute): Array<{ value: string; isNumber: boolean }> | undefined {
  const type = attribute.DataType;
  const text = attribute.StringValue ?? '';
  if (type.startsWith('Binary')) return undefined;
  if (type.startsWith('Number')) return [{ value: text, isNumber: true }];
  if (type === 'String.Array') {
    try {
      const items: unknown = JSON.parse(text);
      if (Array.isArray(items))
        return items.map((item) => ({ value: String(item), isNumber: typeof item === 'number' }));
    } catch {
      // Not an array: compared as one string.
    }
  }
  return [{ value: text, isNumber: false }];
}

/** Whether a subscription with this filter policy accepts a message with these attributes. */
export function acceptsMessage(
  policy: FilterPolicy,
  attributes: Readonly<Record<string, MessageAttribute>>,
): boolean {
  for (const [key, conditions] of policy) {
    const attribute = Object.hasOwn(attributes, key) ? attributes[key] : undefined;
    if (attribute === undefined) {
      if (!conditions.some((c) => c.kind === 'exists' && !c.value)) return false;
      continue;
    }
    const values = valuesOf(attribute);
    if (values === undefined) return false;
    const ok = conditions.some((c) =>
      c.kind === 'exists' ? c.value : values.some((v) => matchesOne(c, v.value, v.isNumber)),
    );
    if (!ok) return false;
  }
  return true;
}
