/**
 * The simulation case format shared by `securecart simulate` and anyone who wants to replay a decision:
 *
 * { "request": {"principal", "action", "resource", "resourceAccount"?, "context"?},
 *   "identityPolicies": [ … ], "resourcePolicy": {…} | null,
 *   "endpointPolicies": [ … ]  (absent = not through an endpoint),
 *   "serviceControlPolicies": [ … ], "resourceControlPolicies": [ … ], "permissionBoundaries": [ … ], "sessionPolicy": {…},
 *   "apiGateway": {"authorization": "iam" | "none", "private": bool}, "apiArn": "arn:aws:execute-api:…" }
 *
 * Policies are named after where they sit in the case (`identityPolicies[0]`, `resourcePolicy`…).
 */
import type { CompiledPolicy } from './compile.ts';
import { compilePolicy } from './compile.ts';
import type { AuthorizationRequest, PolicySets } from './evaluate.ts';
import type { PolicyKind } from './explain.ts';
import type { RawContext } from './request-context.ts';

/** A malformed case; `field` is the offending path inside the case. */
export class CaseError extends Error {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
    this.name = 'CaseError';
  }
}

const KNOWN = new Set([
  'request',
  'identityPolicies',
  'resourcePolicy',
  'endpointPolicies',
  'serviceControlPolicies',
  'resourceControlPolicies',
  'permissionBoundaries',
  'sessionPolicy',
  'apiGateway',
  'apiArn',
]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Compiled policies keyed by kind, name, API ARN and document text; batches repeat the same policies. */
export type CompileCache = Map<string, CompiledPolicy>;

function compileOne(
  doc: unknown,
  field: string,
  kind: PolicyKind,
  apiArn: string | undefined,
  cache?: CompileCache,
): CompiledPolicy {
  const key = cache ? `${kind}\u0000${field}\u0000${apiArn ?? ''}\u0000${JSON.stringify(doc)}` : '';
  const hit = cache?.get(key);
  if (hit) return hit;
  let compiled: CompiledPolicy;
  try {
    compiled = compilePolicy(doc, field, kind, { apiArn });
  } catch (error) {
    throw new CaseError(field, (error as Error).message);
  }
  if (cache) {
    if (cache.size >= 10_000) cache.clear();
    cache.set(key, compiled);
  }
  return compiled;
}

function compileList(
  v: unknown,
  field: string,
  kind: PolicyKind,
  cache?: CompileCache,
): CompiledPolicy[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw new CaseError(field, 'must be an array of policy documents');
  return v.map((doc, i) => compileOne(doc, `${field}[${i}]`, kind, undefined, cache));
}

function parseRequest(v: unknown): AuthorizationRequest {
  if (!isObject(v)) throw new CaseError('request', 'is required and must be an object');
  for (const field of ['principal', 'action', 'resource'] as const) {
    if (typeof v[field] !== 'string' || v[field] === '')
      throw new CaseError(`request.${field}`, 'must be a non-empty string');
  }
  if (v.resourceAccount !== undefined && typeof v.resourceAccount !== 'string') {
    throw new CaseError('request.resourceAccount', 'must be a string (12-digit account id)');
  }
  if (v.context !== undefined) {
    if (!isObject(v.context)) throw new CaseError('request.context', 'must be an object of condition keys');
    for (const [key, value] of Object.entries(v.context)) {
      const items = Array.isArray(value) ? value : [value];
      if (!items.every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')) {
        throw new CaseError(`request.context.${key}`, 'must be a string, number, boolean or a list of them');
      }
    }
  }
  return {
    principal: v.principal as string,
    action: v.action as string,
    resource: v.resource as string,
    resourceAccount: v.resourceAccount as string | undefined,
    context: v.context as RawContext | undefined,
  };
}

/** Validates and compiles a case. Throws CaseError naming the field. */
export function parseCase(
  raw: unknown,
  cache?: CompileCache,
): { request: AuthorizationRequest; sets: PolicySets } {
  if (!isObject(raw)) throw new CaseError('case', 'must be a JSON object');
  for (const key of Object.keys(raw)) if (!KNOWN.has(key)) throw new CaseError(key, 'unknown field');
  const request = parseRequest(raw.request);
  if (raw.apiArn !== undefined && typeof raw.apiArn !== 'string')
    throw new CaseError('apiArn', 'must be a string');
  const apiArn = raw.apiArn as string | undefined;
  let apiGateway: PolicySets['apiGateway'];
  if (raw.apiGateway !== undefined) {
    const g = raw.apiGateway;
    if (!isObject(g) || (g.authorization !== 'iam' && g.authorization !== 'none')) {
      throw new CaseError('apiGateway.authorization', 'must be "iam" or "none"');
    }
    if (g.private !== undefined && typeof g.private !== 'boolean')
      throw new CaseError('apiGateway.private', 'must be a boolean');
    apiGateway = { authorization: g.authorization, private: g.private as boolean | undefined };
  }
  const single = (v: unknown, field: string, kind: PolicyKind): CompiledPolicy | null | undefined =>
    v === undefined ? undefined : v === null ? null : compileOne(v, field, kind, apiArn, cache);
  return {
    request,
    sets: {
      identity: compileList(raw.identityPolicies, 'identityPolicies', 'identity', cache),
      resource: single(raw.resourcePolicy, 'resourcePolicy', 'resource'),
      endpoints: compileList(raw.endpointPolicies, 'endpointPolicies', 'endpoint', cache),
      scps: compileList(raw.serviceControlPolicies, 'serviceControlPolicies', 'scp', cache),
      rcps: compileList(raw.resourceControlPolicies, 'resourceControlPolicies', 'rcp', cache),
      boundaries: compileList(raw.permissionBoundaries, 'permissionBoundaries', 'boundary', cache),
      session: single(raw.sessionPolicy, 'sessionPolicy', 'session'),
      apiGateway,
    },
  };
}
