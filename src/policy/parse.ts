/**
 * Parses and validates a policy document. Anything AWS would reject is an error that names the policy,
 * the statement (index and Sid) and the field — an invalid document is never evaluated, so it can never
 * silently allow.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */
import type { PolicyKind } from './explain.ts';
import type { PrincipalValue } from './principal.ts';
import type { ConditionBlock } from './conditions/index.ts';

export interface ParsedStatement {
  index: number;
  /** JSON pointer of the statement in the document (`/Statement/2`, or `/Statement` for a single object). */
  pointer: string;
  sid?: string;
  effect: 'Allow' | 'Deny';
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  principal?: PrincipalValue;
  notPrincipal?: PrincipalValue;
  condition?: ConditionBlock;
}

export interface ParsedPolicy {
  version: '2012-10-17' | '2008-10-17';
  id?: string;
  statements: ParsedStatement[];
}

/** A document that AWS would refuse; names the policy, statement and field. */
export class PolicyValidationError extends Error {
  constructor(
    readonly policy: string,
    readonly pointer: string,
    readonly detail: string,
    readonly statement?: number,
    readonly sid?: string,
  ) {
    const where = statement === undefined ? '' : ` statement ${statement}${sid ? ` (Sid "${sid}")` : ''}`;
    super(`policy "${policy}"${where}, field ${pointer || '/'}: ${detail}`);
    this.name = 'PolicyValidationError';
  }
}

const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Condition',
]);
const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);
/** Kinds whose statements name a principal; the others (identity, SCP, boundary, session) must not. */
const KINDS_WITH_PRINCIPAL = new Set<PolicyKind>(['resource', 'endpoint', 'rcp']);
const ACTION = /^[a-zA-Z0-9-]+:[a-zA-Z0-9*?_.-]+$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

/** Parses a policy that may arrive as a JSON string or an object. */
export function parsePolicy(doc: unknown, name: string, kind: PolicyKind): ParsedPolicy {
  let value = doc;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (error) {
      throw new PolicyValidationError(name, '', `not valid JSON (${(error as Error).message})`);
    }
  }
  if (!isObject(value))
    throw new PolicyValidationError(name, '', `a policy must be a JSON object, got ${describe(value)}`);
  for (const key of Object.keys(value)) {
    if (!TOP_LEVEL.has(key))
      throw new PolicyValidationError(
        name,
        `/${key}`,
        `unknown element "${key}" (allowed: Version, Id, Statement)`,
      );
  }
  const version = value.Version ?? '2008-10-17';
  if (version !== '2012-10-17' && version !== '2008-10-17') {
    throw new PolicyValidationError(
      name,
      '/Version',
      `Version must be "2012-10-17" or "2008-10-17", got ${describe(version)}`,
    );
  }
  if (value.Id !== undefined && typeof value.Id !== 'string') {
    throw new PolicyValidationError(name, '/Id', 'Id must be a string');
  }
  const raw = value.Statement;
  if (raw === undefined) throw new PolicyValidationError(name, '/Statement', 'Statement is required');
  const list = Array.isArray(raw) ? raw : [raw];
  const statements = list.map((s, i) =>
    parseStatement(s, i, Array.isArray(raw) ? `/Statement/${i}` : '/Statement', name, kind),
  );
  return { version, id: value.Id as string | undefined, statements };
}

function parseStatement(
  raw: unknown,
  index: number,
  base: string,
  name: string,
  kind: PolicyKind,
): ParsedStatement {
  const sidOf = isObject(raw) && typeof raw.Sid === 'string' ? raw.Sid : undefined;
  const fail = (field: string, detail: string): never => {
    throw new PolicyValidationError(name, field ? `${base}/${field}` : base, detail, index, sidOf);
  };
  if (!isObject(raw)) return fail('', `a statement must be an object, got ${describe(raw)}`);
  for (const key of Object.keys(raw)) {
    if (!STATEMENT_KEYS.has(key)) fail(key, `unknown element "${key}"`);
  }
  if (raw.Sid !== undefined && typeof raw.Sid !== 'string') fail('Sid', 'Sid must be a string');
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny')
    fail('Effect', `Effect must be "Allow" or "Deny", got ${describe(raw.Effect)}`);

  const strings = (field: string): string[] | undefined => {
    const v = raw[field];
    if (v === undefined) return undefined;
    const arr = Array.isArray(v) ? v : [v];
    if (arr.length === 0) fail(field, `${field} must not be empty`);
    arr.forEach((x, i) => {
      if (typeof x !== 'string' || x === '')
        fail(
          Array.isArray(v) ? `${field}/${i}` : field,
          `${field} entries must be non-empty strings, got ${describe(x)}`,
        );
    });
    return arr as string[];
  };

  const action = strings('Action');
  const notAction = strings('NotAction');
  if ((action === undefined) === (notAction === undefined))
    fail('Action', 'exactly one of Action or NotAction is required');
  for (const [field, list] of [
    ['Action', action],
    ['NotAction', notAction],
  ] as const) {
    list?.forEach((a, i) => {
      if (a !== '*' && !ACTION.test(a))
        fail(`${field}/${i}`, `"${a}" is not an action (expected "service:Action" or "*")`);
    });
  }

  const resource = strings('Resource');
  const notResource = strings('NotResource');
  if ((resource === undefined) === (notResource === undefined))
    fail('Resource', 'exactly one of Resource or NotResource is required');
  for (const [field, list] of [
    ['Resource', resource],
    ['NotResource', notResource],
  ] as const) {
    list?.forEach((r, i) => {
      const shorthand = kind === 'resource' && r.startsWith('execute-api:/');
      if (r !== '*' && !r.startsWith('arn:') && !shorthand)
        fail(`${field}/${i}`, `"${r}" is not an ARN or "*"`);
    });
  }

  const principal = parsePrincipal(raw.Principal, 'Principal', fail);
  const notPrincipal = parsePrincipal(raw.NotPrincipal, 'NotPrincipal', fail);
  if (KINDS_WITH_PRINCIPAL.has(kind)) {
    if ((principal === undefined) === (notPrincipal === undefined))
      fail('Principal', `a ${kind} policy statement needs exactly one of Principal or NotPrincipal`);
  } else if (principal !== undefined || notPrincipal !== undefined) {
    fail(
      principal !== undefined ? 'Principal' : 'NotPrincipal',
      `a ${kind} policy must not name a principal`,
    );
  }

  if (kind === 'rcp') rcpRules(raw, fail);

  let condition: ConditionBlock | undefined;
  if (raw.Condition !== undefined) {
    if (!isObject(raw.Condition)) fail('Condition', 'Condition must be an object');
    condition = {};
    const block = raw.Condition as Record<string, unknown>;
    for (const op of Object.keys(block)) {
      const keys = block[op];
      if (!isObject(keys)) fail(`Condition/${op}`, `the ${op} operator must map condition keys to values`);
      condition[op] = {};
      for (const key of Object.keys(keys as Record<string, unknown>)) {
        const v = (keys as Record<string, unknown>)[key];
        const arr = Array.isArray(v) ? v : [v];
        const values = arr.map((x) => {
          if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean') {
            return fail(
              `Condition/${op}/${key}`,
              `condition values must be strings, numbers or booleans, got ${describe(x)}`,
            );
          }
          return String(x);
        });
        condition[op][key] = values;
      }
    }
  }

  return {
    index,
    pointer: base,
    sid: sidOf,
    effect: raw.Effect as 'Allow' | 'Deny',
    action,
    notAction,
    resource,
    notResource,
    principal,
    notPrincipal,
    condition,
  };
}

/**
 * What RCPs accept beyond the common grammar: no NotAction, no NotPrincipal, and an Allow only in
 * the form of RCPFullAWSAccess (Principal, Action and Resource all "*", no Condition).
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html
 */
function rcpRules(raw: Record<string, unknown>, fail: (field: string, detail: string) => never): void {
  if (raw.NotAction !== undefined) fail('NotAction', 'an RCP statement cannot use NotAction (use Action)');
  if (raw.NotPrincipal !== undefined)
    fail('NotPrincipal', 'an RCP statement cannot use NotPrincipal (use Principal "*" with a Condition)');
  if (raw.Effect !== 'Allow') return;
  const star = (v: unknown) => v === '*' || (Array.isArray(v) && v.length === 1 && v[0] === '*');
  const fullAccess =
    raw.Principal === '*' && star(raw.Action) && star(raw.Resource) && raw.Condition === undefined;
  if (!fullAccess)
    fail(
      'Effect',
      'an RCP can only Deny: Allow is supported only as RCPFullAWSAccess (Principal, Action and Resource "*", no Condition)',
    );
}

function parsePrincipal(
  v: unknown,
  field: string,
  fail: (field: string, detail: string) => never,
): PrincipalValue | undefined {
  if (v === undefined) return undefined;
  if (v === '*') return '*';
  if (!isObject(v)) return fail(field, `${field} must be "*" or an object such as {"AWS": "arn:…"}`);
  const out: Record<string, string[]> = {};
  for (const type of Object.keys(v)) {
    if (!PRINCIPAL_TYPES.has(type))
      fail(
        `${field}/${type}`,
        `unknown principal type "${type}" (use AWS, Service, Federated or CanonicalUser)`,
      );
    const list = Array.isArray(v[type]) ? (v[type] as unknown[]) : [v[type]];
    if (list.length === 0) fail(`${field}/${type}`, 'principal list must not be empty');
    out[type] = list.map((x) => {
      if (typeof x !== 'string' || x === '')
        return fail(`${field}/${type}`, `principal entries must be non-empty strings, got ${describe(x)}`);
      if (type === 'AWS' && x !== '*' && !/^\d{12}$/.test(x) && !x.startsWith('arn:')) {
        fail(`${field}/${type}`, `"${x}" is not an account id, an ARN or "*"`);
      }
      return x;
    });
  }
  if (Object.keys(out).length === 0) fail(field, `${field} must name at least one principal`);
  return out;
}
