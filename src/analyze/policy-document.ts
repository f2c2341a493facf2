/**
 * Tolerant reading of raw policy JSON for the rules that inspect a policy's shape (not its
 * decisions — those go through src/policy/). Never throws: what is not a statement is skipped.
 */

export interface RawStatement {
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  /** Principal as written (`*`, {AWS: …}, {Service: …}); undefined for identity policies. */
  readonly principal?: unknown;
  readonly notPrincipal?: unknown;
  /** operator → key → values */
  readonly condition: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

export function statementsOf(document: unknown): RawStatement[] {
  if (typeof document === 'string') {
    try {
      document = JSON.parse(document) as unknown;
    } catch {
      return [];
    }
  }
  if (!isObject(document)) return [];
  const raw = document.Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const statements: RawStatement[] = [];
  list.forEach((entry, index) => {
    if (!isObject(entry)) return;
    const effect = entry.Effect === 'Deny' ? 'Deny' : entry.Effect === 'Allow' ? 'Allow' : undefined;
    if (!effect) return;
    statements.push({
      index,
      sid: typeof entry.Sid === 'string' ? entry.Sid : undefined,
      effect,
      actions: strings(entry.Action),
      notActions: strings(entry.NotAction),
      resources: strings(entry.Resource),
      notResources: strings(entry.NotResource),
      principal: entry.Principal,
      notPrincipal: entry.NotPrincipal,
      condition: conditionOf(entry.Condition),
    });
  });
  return statements;
}

/** True when the policy has at least one statement that a request could be allowed by. */
export function hasStatements(document: unknown): boolean {
  return statementsOf(document).length > 0;
}

function conditionOf(value: unknown): Record<string, Record<string, string[]>> {
  const result: Record<string, Record<string, string[]>> = {};
  if (!isObject(value)) return result;
  for (const [operator, block] of Object.entries(value)) {
    if (!isObject(block)) continue;
    const keys: Record<string, string[]> = {};
    for (const [key, values] of Object.entries(block)) keys[key] = strings(values) ?? [];
    result[operator] = keys;
  }
  return result;
}

/** A string, or a list of strings, as a list; other scalars stringified; objects (unresolved tokens) dropped. */
export function strings(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : [value];
  const result: string[] = [];
  for (const item of list) {
    if (typeof item === 'string') result.push(item);
    else if (typeof item === 'number' || typeof item === 'boolean') result.push(String(item));
  }
  return result;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `*` or a principal object whose AWS entry is `*`: anyone. */
export function isAnyonePrincipal(principal: unknown): boolean {
  if (principal === '*') return true;
  if (!isObject(principal)) return false;
  const aws = strings(principal.AWS);
  return aws?.includes('*') ?? false;
}

/** Lower-cased condition keys a statement tests, whatever the operator. */
export function conditionKeys(statement: RawStatement): Set<string> {
  const keys = new Set<string>();
  for (const block of Object.values(statement.condition))
    for (const key of Object.keys(block)) keys.add(key.toLowerCase());
  return keys;
}
